import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchUsageError, parseBenchArgs } from './bench-options';
import { runSuiteProcess, suiteArgs } from './suite-process';

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

  it('leaves --compare and --compare-tolerance to the parent, which compares every row once', () => {
    expect(suiteArgs(['--compare', '/tmp/before.json', '--compare-tolerance', '20', '--runs', '2'], 'lag', '/tmp/lag.json')).toEqual(['--runs', '2', '--suite', 'lag', '--json', '/tmp/lag.json']);
    expect(suiteArgs(['--compare=/tmp/before.json', '--compare-tolerance=20'], 'lag', '/tmp/lag.json')).toEqual(['--suite', 'lag', '--json', '/tmp/lag.json']);
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

  it('is on with --quick, unless --own-processes asks otherwise', () => {
    expect(parseBenchArgs(['--quick'], {}).inProcess).toBe(true);
    expect(parseBenchArgs(['--quick', '--own-processes'], {}).inProcess).toBe(false);
    expect(parseBenchArgs(['--own-processes'], {}).inProcess).toBe(false);
  });

  it('refuses both ways at once, naming both flags', () => {
    expect(() => parseBenchArgs(['--in-process', '--own-processes'], {})).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--in-process', '--own-processes'], {})).toThrow(/--in-process and --own-processes/);
  });
});

describe('runSuiteProcess', () => {
  // A stand-in for main.js: writes the rows it is told to as the runner would (--json), then exits as told.
  const folder = mkdtempSync(join(tmpdir(), 'ahe-suite-process-spec-'));
  const entry = join(folder, 'entry.js');
  writeFileSync(entry, `
    const args = process.argv.slice(2);
    const json = args[args.indexOf('--json') + 1];
    const suite = args[args.indexOf('--suite') + 1];
    const how = process.env.HOW;
    if (how !== 'nothing') require('node:fs').writeFileSync(json, JSON.stringify({ rows: [{ figure: suite + ' line', note: args.join(' ') + ' @' + process.env.AHE_BENCH_STARTED_AT }] }));
    if (how === 'kill') process.kill(process.pid, 'SIGKILL');
    process.exitCode = how === 'fail' ? 1 : how === 'nothing' ? 3 : 0;
  `);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const run = (how: string) => runSuiteProcess('reads', ['--quick', '--suite', 'all'], 1234, { ...process.env, HOW: how }, entry);

  it("answers the child's rows, its flags being the caller's with its own suite and the parent's clock", async () => {
    const { rows, failed } = await run('ok');
    expect(failed).toBe(false);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.figure).toBe('reads line');
    expect(rows[0]!.note).toMatch(/^--quick --suite reads --json \S+rows\.json @1234$/);
  });

  it('marks the suite failed when its process exits 1, keeping the rows it wrote', async () => {
    expect(await run('fail')).toEqual({ failed: true, rows: [expect.objectContaining({ figure: 'reads line' })] });
  });

  it('answers a failed row naming the exit when the process wrote none', async () => {
    const { rows, failed } = await run('nothing');
    expect(failed).toBe(true);
    expect(rows).toEqual([{ figure: 'reads — failed', met: false, note: 'its process exited with code 3 before writing any row (its output is above)' }]);
  });

  it('keeps what a killed process wrote, marked failed', async () => {
    expect(await run('kill')).toMatchObject({ failed: true, rows: [{ figure: 'reads line' }] });
  });
});
