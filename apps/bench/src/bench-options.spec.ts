import { BenchUsageError, parseBenchArgs, SUITE_NAMES } from './bench-options';
import { SIZE_FLAGS } from './bench-size-flags';
import { runOrder, SUITES } from './suites';

const env = {};

describe('parseBenchArgs', () => {
  it('takes the standard sizes, the quick ones with --quick, and an explicit flag over either', () => {
    expect(parseBenchArgs([], env).sizes['dataset-accounts']).toBe(SIZE_FLAGS['dataset-accounts'].standard);
    const quick = parseBenchArgs(['--quick', '--runs', '2'], env);
    expect(quick.sizes['dataset-accounts']).toBe(SIZE_FLAGS['dataset-accounts'].quick);
    expect(quick.sizes.runs).toBe(2);
    expect([...quick.explicit]).toEqual(['runs']);
    expect(parseBenchArgs([], env).suites).toEqual(SUITE_NAMES);
    expect(parseBenchArgs(['--suite', 'reads, append'], env).suites).toEqual(['append', 'reads']);
    expect(parseBenchArgs(['--chart', 'out/bench.SVG', '--json', 'run.json'], env)).toMatchObject({ chartFile: 'out/bench.SVG', jsonFile: 'run.json' });
    expect(parseBenchArgs(['--from-json', 'run.json', '--chart', 'run.svg'], env)).toMatchObject({ fromJson: 'run.json', chartFile: 'run.svg' });
    expect(parseBenchArgs([], env).chartFile).toBeUndefined();
    expect(parseBenchArgs(['--from-json', 'new.json', '--compare', 'old.json'], env)).toMatchObject({ fromJson: 'new.json', compare: 'old.json', compareTolerance: 0.1 });
    expect(parseBenchArgs(['--compare', 'old.json', '--compare-tolerance', '25'], env).compareTolerance).toBe(0.25);
  });

  it('holds the import goal to a bulk file and keeps the small file as a line that 0 leaves out', () => {
    expect(parseBenchArgs([], env).sizes['import-accounts']).toBe(1_500);
    expect(parseBenchArgs([], env).sizes['import-small']).toBe(300);
    expect(parseBenchArgs(['--quick'], env).sizes['import-small']).toBe(10);
    expect(parseBenchArgs(['--import-small', '0'], env).sizes['import-small']).toBe(0);
    expect(() => parseBenchArgs(['--import-small=-1'], env)).toThrow('--import-small must be an integer ≥ 0 (got "-1")');
  });

  it('rebuilds each read model alone only when asked (--per-projection)', () => {
    expect(parseBenchArgs([], env).perProjection).toBe(false);
    expect(parseBenchArgs(['--suite', 'projections', '--per-projection'], env).perProjection).toBe(true);
    expect(() => parseBenchArgs(['--per-projection=yes'], env)).toThrow(/per-projection/);
  });

  it('runs on PostgreSQL unless --embedded, and there PGlite on its own thread unless --embedded-thread main', () => {
    expect(parseBenchArgs([], env).embedded).toBe(false);
    expect(parseBenchArgs(['--embedded'], env).embedded).toBe('worker');
    expect(parseBenchArgs(['--embedded', '--embedded-thread', 'main'], env).embedded).toBe('main');
    expect(parseBenchArgs(['--embedded', '--embedded-thread=worker'], env).embedded).toBe('worker');
  });

  it.each([
    [['--embedded-thread', 'main'], '--embedded-thread chooses where the embedded store runs: give --embedded too'],
    [['--embedded', '--embedded-thread', 'both'], '--embedded-thread must be one of worker, main (got "both")'],
    [['--read-connections', '0'], '--read-connections must be an integer ≥ 1 (got "0")'],
    [['--runs', 'three'], '--runs must be an integer ≥ 1 (got "three")'],
    [['--http-seconds', '2.5'], '--http-seconds must be an integer ≥ 1 (got "2.5")'],
    [['--read-rate=-1'], '--read-rate must be an integer ≥ 0 (got "-1")'],
    [['--read-rate', '-1'], '--read-rate must be an integer ≥ 0 (got "-1")'],
    [['--runs', '-.5'], '--runs must be an integer ≥ 1 (got "-.5")'],
    [['--batch-size', '20000'], '--batch-size must be an integer from 1 to 10000 (got "20000")'],
    [['--suite', 'reads,bogus'], 'unknown: bogus'],
    [['--suite', ','], 'unknown: (none given)'],
    [['--chart', 'table.png'], '--chart writes SVG: give a file name ending in .svg (got "table.png")'],
    [['--from-json', 'run.json'], '--from-json prints an earlier run to draw or compare it: give --chart <file.svg> or --compare <file> too'],
    [['--compare-tolerance', '5'], '--compare-tolerance applies to a comparison: give --compare <file> too'],
    [['--compare', 'run.json', '--compare-tolerance', 'ten'], '--compare-tolerance is a percentage from 0 to 100 (got "ten")'],
    [['--compare', 'run.json', '--compare-tolerance=-5'], '--compare-tolerance is a percentage from 0 to 100 (got "-5")'],
    [['--compare', 'run.json', '--compare-tolerance', '-5'], '--compare-tolerance is a percentage from 0 to 100 (got "-5")'],
    [['--compare', 'run.json', '--compare-tolerance', ''], '--compare-tolerance is a percentage from 0 to 100 (got "")'],
    [['--read-rate', '-Infinity'], '--read-rate must be an integer ≥ 0 (got "-Infinity")'],
    [['--runs', '-e5'], '--runs must be an integer ≥ 1 (got "-e5")'],
  ])('rejects %j, naming the flag and the value', (argv, message) => {
    expect(() => parseBenchArgs(argv, env)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv, env)).toThrow(message);
  });

  it('takes a single-dash word after a numeric flag as that flag\'s value, but not a flag', () => {
    expect(parseBenchArgs(['--runs', '3', '--quick'], env).sizes.runs).toBe(3);
    // A flag after a numeric flag is still a flag: Node's parser reports the missing value, not the flag's range.
    for (const flag of ['--quick', '-h']) {
      expect(() => parseBenchArgs(['--runs', flag], env)).toThrow(/--runs.*ambiguous/);
      expect(() => parseBenchArgs(['--runs', flag], env)).not.toThrow(/must be an integer/);
    }
  });

  it('rejects a flag it does not know', () => {
    expect(() => parseBenchArgs(['--reads-connections', '8'], env)).toThrow(/reads-connections/);
  });
});

describe('runOrder', () => {
  it('runs the projections line after the lines that read the shared data set, the rest in table order', () => {
    const order = runOrder(SUITES).map((suite) => suite.name);
    expect(order.at(-1)).toBe('projections');
    expect(order.indexOf('projections')).toBeGreaterThan(order.indexOf('reads'));
    expect(order.indexOf('projections')).toBeGreaterThan(order.indexOf('as-of'));
    expect(order.filter((name) => name !== 'projections')).toEqual(SUITE_NAMES.filter((name) => name !== 'projections'));
  });

  it('keeps a selection without a suite that runs last as it is', () => {
    const selected = SUITES.filter((suite) => ['append', 'reads'].includes(suite.name));
    expect(runOrder(selected)).toEqual(selected);
  });
});
