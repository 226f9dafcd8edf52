// ECharts options of the two history charts. Values hold until the next point (step lines):
// a history row is the state after the last event of its bucket.
import { BAND_COLORS, date, num } from '../../lib/format.js';

const AXIS_LINE = { lineStyle: { color: '#c9d1dc' } };
const SPLIT_LINE = { lineStyle: { color: '#eef1f5' } };
const GRID = { left: 8, right: 16, top: 32, bottom: 8, containLabel: true };

function emptyTitle(text) {
  return { text, left: 'center', top: 'middle', textStyle: { color: '#8a94a6', fontSize: 13, fontWeight: 'normal' } };
}

// The API names a bucket by its first day, but a week's or month's value is the state on its
// last day with events: drawn at the first day, it would show a change up to a month early.
const DAY_MS = 86_400_000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/** The last day of the bucket that starts on `period` (YYYY-MM-DD, UTC). */
function periodEnd(period, interval) {
  const start = Date.parse(`${period}T00:00:00Z`);
  if (interval === 'week') return isoDay(start + 6 * DAY_MS);
  if (interval === 'month') {
    const first = new Date(start);
    return isoDay(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1) - DAY_MS);
  }
  return period;
}

/**
 * The day a point's value is from, as near as the API tells: the bucket's last day, or today
 * for the bucket still running (its value cannot be from a later day).
 */
function pointDay(point, interval, today = isoDay(Date.now())) {
  const end = periodEnd(point.period, interval);
  return end < today ? end : today;
}

function timeAxis(from) {
  return { type: 'time', min: from, max: Date.now(), axisLine: AXIS_LINE, splitLine: { show: false }, axisLabel: { hideOverlap: true } };
}

/** `interval` is the history's bucket: a week's or month's point stands at the day its value is from. */
export function scoreHistoryOption(points, row, from, interval) {
  const data = points.map((point) => [pointDay(point, interval), point.churnRisk, point.band, point.period]);
  data.push([new Date().toISOString(), row.churnRisk, row.band, null]);
  const highest = Math.max(...data.map(([, score]) => score));
  return {
    title: points.length === 0 ? emptyTitle('No events in this range: only the live score') : undefined,
    grid: GRID,
    tooltip: {
      trigger: 'axis',
      formatter: ([first]) => `${dayLabel(first.value[0], first.value[3], interval)}<br>Churn risk <b>${first.value[1]}</b> · ${first.value[2]}`,
    },
    xAxis: timeAxis(from),
    yAxis: { type: 'value', min: 0, max: highest >= 60 ? 100 : 70, interval: 10, axisLine: AXIS_LINE, splitLine: SPLIT_LINE },
    visualMap: {
      show: false,
      dimension: 1,
      pieces: [
        { lt: 30, color: BAND_COLORS.green },
        { gte: 30, lt: 60, color: BAND_COLORS.amber },
        { gte: 60, color: BAND_COLORS.red },
      ],
    },
    series: [{
      type: 'line',
      name: 'Churn risk',
      step: 'end',
      data,
      symbol: 'circle',
      symbolSize: 5,
      lineStyle: { width: 2 },
      markArea: {
        silent: true,
        data: [
          [{ yAxis: 30, itemStyle: { color: 'rgba(224,161,0,0.07)' } }, { yAxis: 60 }],
          [{ yAxis: 60, itemStyle: { color: 'rgba(214,69,65,0.07)' } }, { yAxis: 100 }],
        ],
      },
      markLine: {
        silent: true,
        symbol: 'none',
        label: { position: 'insideEndTop', formatter: ({ value }) => (value === 30 ? 'amber' : 'red'), color: '#8a94a6' },
        lineStyle: { type: 'dashed', color: '#c9d1dc' },
        data: [{ yAxis: 30 }, { yAxis: 60 }],
      },
    }],
  };
}

/** Survey means per period as bars, the 90-day mean from the health history as a step line. */
export function satisfactionOption(points, trendItems, row, from, interval) {
  const bars = trendItems.map((item) => ({ value: [item.period, item.mean], item }));
  const mean = points.map((point) => [pointDay(point, interval), point.satisfaction.mean90d]);
  if (points.length > 0) mean.push([new Date().toISOString(), row.satisfaction.mean90d]);
  const hasData = bars.length > 0 || mean.some(([, value]) => value !== null);
  return {
    title: hasData ? undefined : emptyTitle('No surveys in this range'),
    grid: GRID,
    legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      formatter: (entries) => [date(entries[0].value[0]), ...entries.map(satisfactionLine)].join('<br>'),
    },
    xAxis: timeAxis(from),
    yAxis: { type: 'value', min: 0, max: 100, interval: 25, axisLine: AXIS_LINE, splitLine: SPLIT_LINE },
    series: [
      { type: 'bar', name: 'Survey mean per period', data: bars, barMaxWidth: 12, itemStyle: { color: '#9db5ea', borderRadius: [3, 3, 0, 0] } },
      { type: 'line', name: '90-day mean', step: 'end', data: mean, symbol: 'none', connectNulls: false, lineStyle: { width: 2, color: '#2f5fd0' }, itemStyle: { color: '#2f5fd0' } },
    ],
  };
}

/** 'Mar 10, 2024 (week from Mar 4, 2024)': the day drawn, and the bucket it closes; the live point has no bucket. */
function dayLabel(day, period, interval) {
  if (period === null) return `${date(day)} (live)`;
  return interval === 'day' ? date(day) : `${date(day)} (${interval} from ${date(period)})`;
}

function satisfactionLine(entry) {
  const item = entry.data?.item;
  if (item) {
    const nps = item.nps.score === null ? '' : ` · NPS ${num(item.nps.score, 1)}`;
    return `${entry.marker}Surveys: <b>${num(item.mean, 1)}</b> (${item.responses} response${item.responses === 1 ? '' : 's'}${nps})`;
  }
  return `${entry.marker}${entry.seriesName}: <b>${num(entry.value[1], 1)}</b>`;
}
