import * as echarts from 'echarts';
import { boundOf, formatRatio, reaches, runSpread, type BenchRow } from './bench-table';
import { goalMarks, labels, whiskers } from './bench-chart-marks';
import { msText, p99Spread } from './measure';

/**
 * The benchmark table as a picture (`--chart FILE.svg`): what a reader wants from it at a
 * glance is which lines reach their goals and by how much. Two panels, drawn by ECharts on
 * the server (SVG, no browser):
 * - throughput: each line's ratio to the reference measured in the same run, with the spread
 *   of its runs (their own ratios, runSpread) and its goal as a mark;
 * - latency: p50 and p99 on a log scale, the reference's p99 (e.g. the bare route at the same
 *   load) as a grey mark beside them, the goal as a black one.
 * A bar is green where the line met that part of its goal, red where it missed it, grey where it
 * has none (partColor).
 */
export interface BenchChartOptions {
  readonly title: string;
  /** Under the title: the command, then when and where it ran (chartSubtitle). */
  readonly subtitle?: string;
  /** Pixels; the height follows from the number of lines. */
  readonly width?: number;
}

export const CHART_COLORS = { met: '#2e7d32', missed: '#c62828', noGoal: '#9e9e9e', p50: '#b0bec5', p99: '#607d8b', goal: '#111111', reference: '#757575' } as const;

/** At most this many characters of a line's name: about what the column holds in the font rsvg and browsers draw with (ECharts measures narrower, and a right-aligned label it does not cut runs off the left edge). */
const LABEL_CHARS = 56;
/** The line names' column, the same in both panels so that their axes line up. */
const LABEL_PX = 430;
const ROW_PX = 30;
const LATENCY_ROW_PX = 44;
/** Above the first panel: the title and the subtitle's two lines. */
const HEADER_PX = 104;
const PANEL_GAP_PX = 70;

/**
 * The colour of one part of a line's goal (its ratio, or its latency): grey without one, red
 * where the figure misses it, and red too where the line missed for a reason of its own
 * (failed requests, an achieved rate short of the offered one) with every part reached.
 */
export function partColor(row: BenchRow, part: 'ratio' | 'latency'): string {
  const target = row.target ?? {};
  const ratioOk = target.minRatio === undefined ? undefined : reaches({ minRatio: target.minRatio }, row);
  const latencyOk = target.maxMs === undefined ? undefined : reaches({ maxMs: target.maxMs, stat: target.stat }, row);
  const reached = part === 'ratio' ? ratioOk : latencyOk;
  if (reached === undefined) return CHART_COLORS.noGoal;
  if (!reached) return CHART_COLORS.missed;
  return row.met === false && ratioOk !== false && latencyOk !== false ? CHART_COLORS.missed : CHART_COLORS.met;
}

/** A store a line names at its end (` — embedded (PGlite)`), kept whole when the name is shortened: it tells two runs' lines apart. */
const STORE_SUFFIX = / — [^—]+$/;

/** A line's name in at most LABEL_CHARS characters, its store kept: the middle gives way. */
export function shortName(figure: string): string {
  if (figure.length <= LABEL_CHARS) return figure;
  const store = STORE_SUFFIX.exec(figure)?.[0] ?? '';
  // ` — embedded (PGlite on the main thread)` is the longest a run names.
  const kept = store.length <= 40 ? store : '';
  return `${figure.slice(0, LABEL_CHARS - 1 - kept.length).trimEnd()}…${kept}`;
}
/** A latency label's number: whole ms from 10 up, one decimal below, more when fewer would hide a miss of `bound` (msText). */
const latencyText = (ms: number, bound?: number) => msText(ms, ms >= 10 ? 0 : 1, bound);

/** The chart as SVG text. Lines with neither a ratio nor a latency (a suite that failed) are left out of it. */
export function benchChartSvg(rows: readonly BenchRow[], options: BenchChartOptions): string {
  // Top to bottom in table order: a category axis draws its first category at the bottom.
  const ratioRows = rows.filter((row) => row.ratio !== undefined && Number.isFinite(row.ratio)).reverse();
  const latencyRows = rows.filter((row) => row.latency !== undefined && Number.isFinite(row.latency.p99)).reverse();
  const width = options.width ?? 1200;
  const ratioHeight = ratioRows.length * ROW_PX;
  const latencyHeight = latencyRows.length * LATENCY_ROW_PX;
  const latencyTop = HEADER_PX + ratioHeight + (ratioRows.length > 0 ? PANEL_GAP_PX : 0);
  const height = latencyTop + latencyHeight + 60;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'sans-serif', fontSize: 12 },
      title: [
        { text: options.title, subtext: options.subtitle, left: 10, top: 6, itemGap: 6, textStyle: { fontSize: 16 }, subtextStyle: { fontSize: 11, lineHeight: 15, color: '#555555', width: width - 20, overflow: 'truncate' } },
        ...(ratioRows.length > 0 ? [{ text: '× the reference measured in the same run (median; the whisker spans the runs)', left: 10, top: HEADER_PX - 28, textStyle: { fontSize: 13 } }] : []),
        ...(latencyRows.length > 0 ? [{ text: 'latency, ms (log scale): p50 and p99 (median; the whisker spans the runs\' p99); grey mark the reference\'s p99', left: 10, top: latencyTop - 28, textStyle: { fontSize: 13 } }] : []),
      ],
      legend: { right: 10, top: 10, data: ['met', 'missed', 'no goal', 'p50', 'p99', 'goal', 'reference p99'], selectedMode: false },
      grid: [
        { left: LABEL_PX, right: 110, top: HEADER_PX, height: Math.max(ratioHeight, 1) },
        { left: LABEL_PX, right: 110, top: latencyTop, height: Math.max(latencyHeight, 1) },
      ],
      xAxis: [
        { gridIndex: 0, type: 'value', ...ratioAxis(ratioRows), splitLine: { lineStyle: { color: '#eeeeee' } }, axisLabel: { formatter: '{value} ×' } },
        { gridIndex: 1, type: 'log', logBase: 10, ...latencyRange(latencyRows), splitLine: { lineStyle: { color: '#eeeeee' } }, axisLabel: { formatter: '{value} ms' } },
      ],
      yAxis: [
        { gridIndex: 0, type: 'category', data: ratioRows.map((row) => shortName(row.figure)), axisTick: { show: false }, axisLabel: { width: LABEL_PX - 20, overflow: 'truncate' } },
        { gridIndex: 1, type: 'category', data: latencyRows.map((row) => shortName(row.figure)), axisTick: { show: false }, axisLabel: { width: LABEL_PX - 20, overflow: 'truncate' } },
      ],
      series: [...ratioSeries(ratioRows), ...latencySeries(latencyRows), ...legendSeries()],
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}


function ratioSeries(rows: readonly BenchRow[]): echarts.SeriesOption[] {
  const spreads = rows.map(runSpread);
  const spread = spreads.map((found, index) => [index, found?.low ?? Number.NaN, found?.high ?? Number.NaN]);
  const labelled = rows.map((row, index) => [index, row.ratio!, Math.max(row.ratio!, spreads[index]?.high ?? 0), row.target?.minRatio ?? Number.NaN]);
  return [
    {
      type: 'bar', xAxisIndex: 0, yAxisIndex: 0, barWidth: ROW_PX * 0.55,
      data: rows.map((row) => ({ value: row.ratio, itemStyle: { color: partColor(row, 'ratio') } })),
    },
    whiskers(0, spread),
    labels(0, labelled, 0, (ratio, index) => formatRatio(ratio, rows[index]?.target)),
    goalMarks(0, rows.map((row, index) => [row.target?.minRatio ?? Number.NaN, index]), ROW_PX * 0.8, CHART_COLORS.goal),
  ];
}

function latencySeries(rows: readonly BenchRow[]): echarts.SeriesOption[] {
  const barWidth = LATENCY_ROW_PX * 0.3;
  const spreads = rows.map((row) => p99Spread(row.latency));
  return [
    // The bar of the latency a goal bounds (p99, or p50 for a median goal) takes the goal's colour.
    {
      type: 'bar', name: 'p50', xAxisIndex: 1, yAxisIndex: 1, barWidth, barGap: '10%', color: CHART_COLORS.p50,
      data: rows.map((row) => ({ value: row.latency!.p50, ...(row.target?.stat === 'p50' ? { itemStyle: { color: partColor(row, 'latency') } } : {}) })),
    },
    {
      type: 'bar', name: 'p99', xAxisIndex: 1, yAxisIndex: 1, barWidth, color: CHART_COLORS.p99,
      data: rows.map((row) => ({ value: row.latency!.p99, ...(row.target?.stat === 'p50' ? {} : { itemStyle: { color: partColor(row, 'latency') } }) })),
    },
    // Across the p99 bar, the lower of the two: its min–max over the line's runs, where it has several.
    whiskers(1, spreads.map((spread, index) => [index, spread?.low ?? Number.NaN, spread?.high ?? Number.NaN]), barWidth * 0.55),
    // Beside the p99 bar (or its whisker).
    labels(1, rows.map((row, index) => [index, row.latency!.p99, Math.max(row.latency!.p99, spreads[index]?.high ?? 0), row.target?.maxMs ?? Number.NaN, row.reference?.latency?.p99 ?? Number.NaN]), barWidth * 0.55, (ms, index) => `p99 ${latencyText(ms, boundOf(rows[index]?.target, 'p99'))} ms`),
    {
      type: 'scatter', name: 'reference p99', xAxisIndex: 1, yAxisIndex: 1, symbol: 'diamond', symbolSize: 10, color: CHART_COLORS.reference,
      data: rows.map((row, index) => [row.reference?.latency?.p99 ?? Number.NaN, index]),
    },
    goalMarks(1, rows.map((row, index) => [row.target?.maxMs ?? Number.NaN, index]), LATENCY_ROW_PX * 0.75, CHART_COLORS.goal),
  ];
}

/** Empty series that give the legend its met / missed / no-goal swatches (the bars are coloured one by one). */
function legendSeries(): echarts.SeriesOption[] {
  return ([['met', CHART_COLORS.met], ['missed', CHART_COLORS.missed], ['no goal', CHART_COLORS.noGoal]] as const).map(([name, color]) => ({
    type: 'bar', name, color, xAxisIndex: 0, yAxisIndex: 0, data: [],
  }));
}

/** At most this many steps from 0 to the ratio axis's end, which is one of them. */
const RATIO_TICKS = 8;
/** A step's first digits, in each decade from 0.1 up. */
const STEP_MANTISSAS = [1, 2, 2.5, 5];

/**
 * The ratio axis: from 0 to a whole number of steps past every ratio, goal and whisker (with a
 * margin for the labels). Left to ECharts, an end between two ticks got a label of its own
 * beside the last tick's ("1.5 ×1.6 ×").
 */
export function ratioAxis(rows: readonly BenchRow[]): { readonly min: 0; readonly max: number; readonly interval: number } {
  const highest = Math.max(1, ...rows.flatMap((row) => [row.ratio ?? 0, row.target?.minRatio ?? 0, runSpread(row)?.high ?? 0])) * 1.15;
  const interval = ratioStep(highest);
  // Rounded to the step's decimals, so that 3 × 0.1 ends at 0.3, not 0.30000000000000004.
  const max = Number((Math.ceil(highest / interval - 1e-9) * interval).toFixed(2));
  return { min: 0, max, interval };
}

/** The smallest step (0.1, 0.2, 0.25, 0.5, 1, 2, …) that reaches `highest` in RATIO_TICKS. */
function ratioStep(highest: number): number {
  // A ratio that is not a number (no line drawn has one) gets ECharts' own step rather than no end.
  if (!Number.isFinite(highest)) return 1;
  for (let decade = 0.1; ; decade *= 10) {
    const mantissa = STEP_MANTISSAS.find((candidate) => highest / (decade * candidate) <= RATIO_TICKS);
    if (mantissa !== undefined) return Number((decade * mantissa).toPrecision(2));
  }
}

/** Whole decades around every latency, goal and reference drawn. */
function latencyRange(rows: readonly BenchRow[]): { readonly min: number; readonly max: number } {
  const values = rows.flatMap((row) => [row.latency?.p50, row.latency?.p99, p99Spread(row.latency)?.low, p99Spread(row.latency)?.high, row.target?.maxMs, row.reference?.latency?.p99]).filter((value): value is number => value !== undefined && value > 0);
  const lowest = Math.min(1, ...values);
  const highest = Math.max(1, ...values);
  return { min: 10 ** Math.floor(Math.log10(lowest)), max: 10 ** Math.ceil(Math.log10(highest * 1.5)) };
}
