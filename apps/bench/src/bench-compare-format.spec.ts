import { compareRuns } from './bench-compare';
import { formatComparison, machineDifferences } from './bench-compare-format';
import { figure, latencyLine, ratioLine, run } from './bench-compare.fixtures';
import { formatBenchTable } from './bench-table';
import type { MachineInfo } from './machine-info';

describe('formatComparison', () => {
  it('says so when one of the two runs is a --quick smoke check', () => {
    const then = run([latencyLine('lag', 100)]);
    const quick = (command: string) => formatComparison(compareRuns(then, [latencyLine('lag', 100)]), then, 'then.json', { command });
    expect(quick('npm run bench -- --quick --compare then.json')).toContain('This run is a --quick one (small sizes, one run each)');
    expect(quick('npm run bench -- --compare then.json')).not.toContain('--quick one');
    expect(formatComparison(compareRuns(then, []), { ...then, command: 'ahe bench --quick' }, 'then.json', { command: 'ahe bench' })).toContain('The earlier run is a --quick one');
  });
});

describe('formatBenchTable', () => {
  it('prints a latency line\'s p99 with its min–max over runs where it has several, as a rate line\'s spread', () => {
    const table = formatBenchTable([latencyLine('lag', 71, [144, 71, 51], 200), latencyLine('as-of', 26, undefined, 100), latencyLine('one run', 30, [30], 100)]);
    expect(table).toMatch(/\| lag +\| p50 18 ms \/ p99 71 ms \(51–144 ms\) +\|/);
    expect(table).toMatch(/\| as-of +\| p50 7 ms \/ p99 26 ms +\|/);
    expect(table).toMatch(/\| one run +\| p50 8 ms \/ p99 30 ms +\|/);
  });

  it('shows the decimal of a p99 that misses its goal by less than the rounding, in the table and in --compare', () => {
    const missed = latencyLine('/:id', 10.48, [10.6, 9.49, 10.48], 10);
    expect(formatBenchTable([missed])).toMatch(/\| \/:id +\| p50 3 ms \/ p99 10\.5 ms \(9–11 ms\) +\| – +\| – +\| p99 ≤ 10 ms +\| ✗ +\|/);
    const comparison = formatComparison(compareRuns(run([latencyLine('/:id', 14.2, [14, 13, 26], 10)]), [missed]), run([]), 'then.json', { command: 'ahe bench' });
    expect(comparison).toContain('| p99 14 ms ✗ | p99 10.5 ms ✗ |');
  });

  it('shows the third decimal of a ratio that falls short of its goal by less than the rounding, in the table and in --compare', () => {
    const short = { ...ratioLine('HTTP', figure(3_716), 9_400, 0.4), met: false };
    expect(formatBenchTable([short])).toMatch(/\| HTTP +\|.*\| 0\.395 × +\| ≥ 0\.4 × +\| ✗ +\|/);
    const comparison = formatComparison(compareRuns(run([{ ...ratioLine('HTTP', figure(3_400), 9_400, 0.4), met: false }]), [short]), run([]), 'then.json', { command: 'ahe bench' });
    expect(comparison).toContain('| 0.36 × ✗ | 0.395 × ✗ |');
  });
});

describe('machineDifferences', () => {
  const machine = (cpu: string, microsPerPage: number) => ({ cpu, cores: 2, os: 'Linux 6.18', firstTouch: { microsPerPage } }) as unknown as MachineInfo;

  it('names what differs between the machines, and nothing for the same one', () => {
    expect(machineDifferences(machine('AMD EPYC', 10), machine('AMD EPYC', 12))).toEqual([]);
    expect(machineDifferences(machine('AMD EPYC', 2), machine('Intel Xeon', 13.7))).toEqual([
      'CPU 2 × AMD EPYC then, 2 × Intel Xeon now',
      'a fresh page of memory cost 2.0 µs then, 13.7 µs now',
    ]);
    expect(machineDifferences(undefined, machine('AMD EPYC', 2))).toEqual([]);
  });

  it('names a change of the transparent huge page mode, which moves the fresh page price, and not a mode one run did not record', () => {
    const withMode = (microsPerPage: number, transparentHugePages?: string) => ({ ...machine('AMD EPYC', microsPerPage), transparentHugePages }) as MachineInfo;
    expect(machineDifferences(withMode(10.7, 'madvise'), withMode(0.2, 'always'))).toEqual([
      'a fresh page of memory cost 10.7 µs then, 0.2 µs now',
      'transparent huge pages madvise then, always now',
    ]);
    expect(machineDifferences(withMode(10.7, 'madvise'), withMode(11, 'madvise'))).toEqual([]);
    expect(machineDifferences(withMode(10.7), withMode(11, 'always'))).toEqual([]);
  });
});
