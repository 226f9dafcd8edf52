import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchChartSvg, CHART_COLORS, partColor, ratioAxis, shortName } from './bench-chart';
import { chartSubtitle } from './machine-info';
import { goalOf, reaches, type BenchRow } from './bench-table';
import { capturedOutput } from './captured-output.contract';
import { runBenchmarks } from './run-benchmarks';

const figure = (median: number, min = median, max = median) => ({ median, min, max });
const latency = (p50: number, p99: number) => ({ count: 100, p50, p99, max: p99 * 1.5 });

/** One line of each kind the suites write. */
const ROWS: BenchRow[] = [
  { figure: 'import (met)', rate: figure(30_000, 28_000, 33_000), unit: 'events/s', reference: { name: 'COPY', rate: figure(37_000) }, ratio: 30 / 37, ...goalOf({ minRatio: 0.6, of: 'COPY' }), met: true },
  { figure: 'rebuild (missed)', rate: figure(24_000), unit: 'events/s', reference: { name: 'scan', rate: figure(176_000) }, ratio: 24 / 176, ...goalOf({ minRatio: 0.5, of: 'scan' }), met: false },
  { figure: 'queue (no goal)', rate: figure(9_000), unit: 'jobs/s', reference: { name: 'bare', rate: figure(10_000) }, ratio: 0.9 },
  {
    figure: 'reads (ratio without a goal, latency missed)', rate: figure(2_600), unit: 'req/s', latency: latency(1.9, 42), reference: { name: 'bare route', rate: figure(11_000), latency: latency(1, 12) },
    ratio: 2.6 / 11, ...goalOf({ maxMs: 10 }), met: false,
  },
  { figure: 'lag (met)', latency: latency(47, 126), ...goalOf({ maxMs: 200 }), met: true },
  { figure: 'first as-of request (median goal, met)', latency: latency(30, 420), ...goalOf({ maxMs: 100, stat: 'p50' }), met: true },
  { figure: 'projections — failed', met: false, note: 'boom' },
];

const fills = (svg: string, color: string) => svg.split(`fill="${color}"`).length - 1;

describe('goalOf and reaches', () => {
  it('words every goal of the table as it always read, from its numbers', () => {
    expect(goalOf({ minRatio: 0.6, of: 'COPY' }).goal).toBe('≥ 0.6 × COPY');
    expect(goalOf({ minRatio: 1 }).goal).toBe('≥ 1.0 ×');
    expect(goalOf({ minRatio: 0.55 }).goal).toBe('≥ 0.55 ×');
    expect(goalOf({ minRatio: 0.4, maxMs: 25 }).goal).toBe('≥ 0.4 × and p99 ≤ 25 ms');
    expect(goalOf({ maxMs: 100, stat: 'p50' }).goal).toBe('median ≤ 100 ms');
    expect(goalOf({ maxMs: 10 }).target).toEqual({ maxMs: 10 });
  });

  it('holds a line to every part of its goal, at the latency the goal names', () => {
    expect(reaches({ minRatio: 0.4, maxMs: 25 }, { ratio: 0.5, latency: latency(5, 20) })).toBe(true);
    expect(reaches({ minRatio: 0.4, maxMs: 25 }, { ratio: 0.5, latency: latency(5, 26) })).toBe(false);
    expect(reaches({ minRatio: 0.4, maxMs: 25 }, { ratio: 0.39, latency: latency(5, 20) })).toBe(false);
    expect(reaches({ maxMs: 100, stat: 'p50' }, { latency: latency(99, 400) })).toBe(true);
    expect(reaches({ maxMs: 100 }, { latency: latency(99, 400) })).toBe(false);
    expect(reaches({ minRatio: 1 }, {})).toBe(false);
  });
});

describe('partColor', () => {
  it('colours each part of a goal by that part, grey where the line has no such goal', () => {
    expect(partColor(ROWS[0]!, 'ratio')).toBe(CHART_COLORS.met);
    expect(partColor(ROWS[1]!, 'ratio')).toBe(CHART_COLORS.missed);
    expect(partColor(ROWS[2]!, 'ratio')).toBe(CHART_COLORS.noGoal);
    expect(partColor(ROWS[3]!, 'ratio')).toBe(CHART_COLORS.noGoal);
    expect(partColor(ROWS[3]!, 'latency')).toBe(CHART_COLORS.missed);
    expect(partColor(ROWS[5]!, 'latency')).toBe(CHART_COLORS.met);
  });

  it('shows a line that missed for a reason of its own (failed requests) as missed, though its figures reach the goal', () => {
    const row: BenchRow = { figure: 'commands', ratio: 0.5, latency: latency(5, 20), ...goalOf({ minRatio: 0.4, maxMs: 25 }), met: false };
    expect(partColor(row, 'ratio')).toBe(CHART_COLORS.missed);
    expect(partColor(row, 'latency')).toBe(CHART_COLORS.missed);
    expect(partColor({ ...row, met: true }, 'latency')).toBe(CHART_COLORS.met);
  });
});

describe('shortName', () => {
  it('keeps a short name whole, and shortens a long one in the middle, its store kept', () => {
    expect(shortName('as-of health — PostgreSQL')).toBe('as-of health — PostgreSQL');
    const long = shortName('GET /v1/health?band=red&sort=-churnRisk&limit=50 — embedded (PGlite)');
    expect(long).toBe('GET /v1/health?band=red&sort=-churn… — embedded (PGlite)');
    expect(long.length).toBeLessThanOrEqual(56);
    const storeless = shortName('as-of health, first request of a fresh API process after its warm-up (AS_OF_WARM_UP: LTV index)');
    expect(storeless).toMatch(/^as-of health, first request of a fresh API process.*…$/);
    expect(storeless.length).toBe(56);
  });
});

describe('benchChartSvg', () => {
  const svg = benchChartSvg(ROWS, { title: 'bench', subtitle: chartSubtitle('npm run bench -- --quick', '2026-12-01T22:45:00.000Z', { cpu: 'AMD EPYC', cores: 2, os: 'Debian' }) });

  it('draws an SVG with the title, the run and every measured line by name, leaving out a failed suite', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    // The command on a line of its own, then when and where.
    expect(svg).toContain('>npm run bench -- --quick</text>');
    expect(svg).toContain('>2026-12-01 22:45 UTC — AMD EPYC, 2 cores, Debian</text>');
    for (const row of ROWS.slice(0, 6)) expect(svg).toContain(`>${row.figure}</text>`);
    expect(svg).not.toContain('projections — failed');
  });

  it('labels each ratio and each p99, and marks every goal once (plus the legend swatch)', () => {
    for (const label of ['0.81 ×', '0.14 ×', '0.90 ×', '0.24 ×', 'p99 42 ms', 'p99 126 ms', 'p99 420 ms']) expect(svg).toContain(`>${label}</text>`);
    const goals = ROWS.filter((row) => row.target).length;
    expect(fills(svg, CHART_COLORS.goal)).toBe(goals + 1);
  });

  it('labels a p99 that misses its goal by less than the rounding with the decimal that shows it', () => {
    const nearMiss: BenchRow = { figure: '/:id (missed by half a ms)', latency: latency(1.6, 10.48), ...goalOf({ maxMs: 10 }), met: false };
    // The line after it has no goal: its own 10.48 ms keeps whole ms, so each label took its own row's goal.
    const nearMissSvg = benchChartSvg([{ ...nearMiss, figure: 'no goal', target: undefined, goal: undefined, met: undefined }, nearMiss], { title: 'bench' });
    expect(nearMissSvg).toContain('>p99 10.5 ms</text>');
    expect(nearMissSvg).toContain('>p99 10 ms</text>');
  });

  it('labels a ratio that falls short of its goal by less than the rounding with the decimal that shows it', () => {
    const short: BenchRow = { figure: 'HTTP (short by a hair)', rate: figure(3_716), unit: 'commands/s', reference: { name: 'INSERT', rate: figure(9_400) }, ratio: 3_716 / 9_400, ...goalOf({ minRatio: 0.4 }), met: false };
    const shortSvg = benchChartSvg([{ ...short, figure: 'no goal', target: undefined, goal: undefined, met: undefined }, short], { title: 'bench' });
    expect(shortSvg).toContain('>0.395 ×</text>');
    expect(shortSvg).toContain('>0.40 ×</text>');
  });

  it('fills each bar with its part of the goal: green met, red missed, grey none (and one legend swatch each)', () => {
    // Met: import's ratio, lag's p99, the first request's p50. Missed: rebuild's ratio, reads' p99.
    expect(fills(svg, CHART_COLORS.met)).toBe(3 + 1);
    expect(fills(svg, CHART_COLORS.missed)).toBe(2 + 1);
    // No goal: the queue's and the reads' ratios.
    expect(fills(svg, CHART_COLORS.noGoal)).toBe(2 + 1);
  });

  it('draws a whisker across a latency line\'s p99 bar from its runs\' lowest to highest p99, only where it has several runs', () => {
    const strokes = (rows: BenchRow[]) => benchChartSvg(rows, { title: 'bench' }).split('stroke="#333333"').length - 1;
    const lag = ROWS[4]!;
    const withRuns: BenchRow = { ...lag, latency: { ...lag.latency!, p99Runs: [126, 90, 180] } };
    const oneRun: BenchRow = { ...lag, latency: { ...lag.latency!, p99Runs: [126] } };
    // A whisker is three strokes: the line and its two caps.
    expect(strokes([withRuns]) - strokes([lag])).toBe(3);
    expect(strokes([oneRun])).toBe(strokes([lag]));
    // Its label moves past the whisker's end, and the axis reaches past its highest run.
    expect(benchChartSvg([withRuns], { title: 'bench' })).toContain('>p99 126 ms</text>');
    expect(benchChartSvg([{ ...lag, latency: { ...lag.latency!, p99Runs: [126, 90, 1_800] } }], { title: 'bench' })).toContain('>10,000 ms</text>');
  });

  it('ends the ratio axis on a tick, so that no label of its end lands beside the last tick\'s', () => {
    // 1.39 × 1.15 = 1.6: left to ECharts, ticks every 0.5 and an end of 1.6 printed "1.5 ×" and "1.6 ×" on top of each other.
    const row = (ratio: number, high = ratio): BenchRow => ({ figure: `at ${ratio}`, rate: figure(ratio, ratio, high), unit: 'events/s', reference: { name: 'r', rate: figure(1) }, ratio });
    for (const rows of [[row(1.39)], [row(1.42)], [row(0.23)], [row(0.9, 3.1)], [row(48)], [row(700)]]) {
      const { max, interval } = ratioAxis(rows);
      const highest = Math.max(...rows.map((found) => found.rate!.max));
      expect(max).toBeGreaterThanOrEqual(highest);
      expect(max / interval).toBeLessThanOrEqual(8);
      expect(max / interval).toBeGreaterThan(3);
      expect(Math.abs(max / interval - Math.round(max / interval))).toBeLessThan(1e-9);
      // Every "… ×" text but the bars' own labels is the axis's: a label each step from 0 to the end, and no other.
      const texts = [...benchChartSvg(rows, { title: 'bench' }).matchAll(/>([\d,.]+) ×<\/text>/g)].map((match) => match[1]!);
      for (const barLabel of rows.map((found) => found.ratio!.toFixed(2))) {
        expect(texts).toContain(barLabel);
        texts.splice(texts.indexOf(barLabel), 1);
      }
      const ticks = Array.from({ length: Math.round(max / interval) + 1 }, (_, index) => Number((index * interval).toFixed(2)).toLocaleString('en'));
      expect(texts).toEqual(ticks);
    }
    expect(ratioAxis([row(1.39)])).toEqual({ min: 0, max: 1.6, interval: 0.2 });
    expect(ratioAxis([row(1.42)])).toEqual({ min: 0, max: 1.75, interval: 0.25 });
    expect(ratioAxis([row(700)])).toEqual({ min: 0, max: 1000, interval: 200 });
    expect(ratioAxis([{ ...row(1), target: { minRatio: Number.POSITIVE_INFINITY } }]).interval).toBe(1);
  });

  it('draws an empty chart rather than failing when nothing was measured', () => {
    expect(benchChartSvg([{ figure: 'x — failed', met: false }], { title: 'bench' })).toContain('>bench</text>');
  });
});

describe('npm run bench -- --from-json FILE --chart OUT.svg', () => {
  const captured = capturedOutput('bench-chart-');

  it('prints the table of an earlier run and draws it, measuring nothing', async () => {
    const file = join(captured.dir, 'run.json');
    writeFileSync(file, JSON.stringify({ command: 'npm run bench -- --json run.json', at: '2026-12-01T22:45:00.000Z', rows: ROWS }));
    const chart = join(captured.dir, 'run.svg');
    await expect(runBenchmarks(['--from-json', file, '--chart', chart], { env: {} })).resolves.toBe(0);
    expect(captured.out.join('')).toContain('| rebuild (missed) ');
    expect(captured.out.join('')).toContain('`npm run bench -- --json run.json`, 2026-12-01 22:45 UTC');
    expect(readFileSync(chart, 'utf8')).toContain('>rebuild (missed)</text>');
  });

  it.each([
    ['a missing file', null, /cannot read .*missing\.json as JSON/],
    ['a file that is not JSON', 'not json', /cannot read .* as JSON/],
    ['JSON that is not a run', '{"rows": [{"value": 1}]}', /is not a run written by --json/],
  ])('answers %s with exit code 2 and says why, writing no chart', async (_case, content, message) => {
    const file = join(captured.dir, content === null ? 'missing.json' : 'bad.json');
    if (content !== null) writeFileSync(file, content);
    const chart = join(captured.dir, 'bad.svg');
    await expect(runBenchmarks(['--from-json', file, '--chart', chart], { env: {} })).resolves.toBe(2);
    expect(captured.err.join('')).toMatch(message);
    expect(() => readFileSync(chart)).toThrow();
  });
});
