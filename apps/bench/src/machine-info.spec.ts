import { firstTouchCost, formatMachine, transparentHugePageMode, type MachineInfo } from './machine-info';

const MACHINE: MachineInfo = {
  cpu: 'Test CPU', cores: 2, ramGiB: 8, os: 'Test OS (Linux 6.0)', loadAverageAtStart: [1, 0.5, 0.25], loadAverageAtEnd: [2, 1, 0.5],
  versions: { node: 'v20' }, postgresSettings: { fsync: 'on' },
};

describe('the machine facts printed above the table', () => {
  it('measure the first touch of new memory as two fills of a fresh buffer, priced a 4 KiB page', () => {
    const touch = firstTouchCost(4);
    expect(touch.mebibytes).toBe(4);
    expect(touch.firstMs).toBeGreaterThanOrEqual(0);
    expect(touch.secondMs).toBeGreaterThanOrEqual(0);
    // 1,024 pages of 4 KiB in 4 MiB: the price is the difference of the fills spread over them, never below 0.
    expect(touch.microsPerPage).toBeCloseTo((1000 * Math.max(0, touch.firstMs - touch.secondMs)) / 1024, 6);
  });

  it('print that price on the machine line when it was measured, and nothing for a run from before it was', () => {
    const withTouch = formatMachine({ ...MACHINE, firstTouch: { microsPerPage: 10.84, firstMs: 180.2, secondMs: 2.6, mebibytes: 64 } }, 'npm run bench', 12);
    const machineLine = withTouch.split('\n').find((line) => line.startsWith('Machine: '));
    expect(machineLine).toBe(
      'Machine: Test CPU, 2 cores, 8.0 GiB RAM, Test OS (Linux 6.0); load average (1/5/15 min) 1.00 0.50 0.25 at start, 2.00 1.00 0.50 at end; '
      + 'a 4 KiB page of new memory costs 10.8 µs to touch first (64 MiB filled twice: 180 ms, then 3 ms)',
    );
    expect(formatMachine(MACHINE, 'npm run bench', 12)).toContain('at start, 2.00 1.00 0.50 at end\nVersions: node v20');
  });

  it('print the transparent huge page mode beside that price, which it moves', () => {
    const text = formatMachine({ ...MACHINE, firstTouch: { microsPerPage: 0.24, firstMs: 6.2, secondMs: 2.3, mebibytes: 64 }, transparentHugePages: 'always' }, 'npm run bench', 12);
    expect(text).toContain('a 4 KiB page of new memory costs 0.2 µs to touch first (64 MiB filled twice: 6 ms, then 2 ms; transparent huge pages: always)\n');
  });

  it('read the mode the kernel has in brackets, and nothing from a file that is absent or says none', () => {
    expect(transparentHugePageMode('always [madvise] never\n')).toBe('madvise');
    expect(transparentHugePageMode('[always] madvise never\n')).toBe('always');
    expect(transparentHugePageMode('always madvise never\n')).toBeUndefined();
    expect(transparentHugePageMode(undefined)).toBeUndefined();
  });

  it('print the commit measured on a line of its own, when the run recorded one', () => {
    expect(formatMachine({ ...MACHINE, build: { commit: 'f2a9867aa1b2', uncommittedFiles: 0 } }, 'npm run bench', 12)).toContain('at end\nBuild: f2a9867aa1b2\nVersions:');
    expect(formatMachine({ ...MACHINE, build: null }, 'npm run bench', 12)).toContain('\nBuild: unknown (not a git checkout)\n');
  });
});
