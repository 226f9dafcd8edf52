import { parseBenchArgs } from './bench-options';
import { suiteArgs } from './suite-process';

describe('suiteArgs', () => {
  it("passes the caller's flags on, with the suite's own --suite and --json in place of the caller's", () => {
    const argv = ['--quick', '--suite', 'reads,append', '--json', '/tmp/all.json', '--runs', '2', '--in-process'];
    const args = suiteArgs(argv, 'reads', '/tmp/reads.json');
    expect(args).toEqual(['--quick', '--runs', '2', '--suite', 'reads', '--json', '/tmp/reads.json']);
    const parsed = parseBenchArgs(args, {});
    expect(parsed.suites).toEqual(['reads']);
    expect(parsed.jsonFile).toBe('/tmp/reads.json');
    expect(parsed.sizes.runs).toBe(2);
    expect(parsed.quick).toBe(true);
  });

  it('drops the = forms too, and keeps every other flag as given', () => {
    expect(suiteArgs(['--suite=all', '--json=/tmp/x.json', '--read-rate=0', '--per-projection'], 'projections', '/tmp/p.json')).toEqual([
      '--read-rate=0', '--per-projection', '--suite', 'projections', '--json', '/tmp/p.json',
    ]);
  });
});

describe('--in-process', () => {
  it('is off unless given', () => {
    expect(parseBenchArgs([], {}).inProcess).toBe(false);
    expect(parseBenchArgs(['--in-process'], {}).inProcess).toBe(true);
  });
});
