// ECharts options of the Models page: pure functions of the API's answers (docs/api.md "Analytics").
import { bandColor } from '../../lib/format.js';
import { percent, sbgSurvival } from './model-params.js';

const FONT = { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', fontSize: 12, color: '#3c4650' };
const MUTED = '#8a94a0';
const ACCENT = '#3566c9';
const SEGMENT_COLORS = ['#3566c9', '#2e9d5b', '#e07b00', '#8e44ad', '#16a2b8', '#c0392b', '#5d6d7e'];

const shareAxis = (name, max = 1, nameGap = 30) => ({
  type: 'value', min: 0, max, name, nameLocation: 'middle', nameGap, nameTextStyle: { color: MUTED },
  axisLabel: { formatter: (value) => `${Math.round(value * 100)}%` },
  splitLine: { lineStyle: { color: '#edf0f3' } },
});

/** A legend entry drawn as a short line, for reference lines (the default icon adds a symbol they do not have). */
const LINE_ICON = 'path://M0 0h16v2H0z';

const base = (extra) => ({ textStyle: FONT, animationDuration: 300, grid: { left: 60, right: 20, top: 28, bottom: 48 }, ...extra });

/** ROC: the score's trade-off at every distinct churnRisk threshold, against the chance diagonal. */
export function rocOption({ roc }) {
  return base({
    tooltip: {
      trigger: 'item',
      formatter: ({ data, seriesName }) => (seriesName !== 'ROC' ? ''
        : `${data[2] === null ? 'Flag nobody' : `Flag churn risk ≥ ${data[2]}`}<br>`
          + `${percent(data[1])} of churned, ${percent(data[0])} of retained flagged`),
    },
    legend: { top: 0, right: 0, icon: LINE_ICON, itemHeight: 3, textStyle: { color: MUTED } },
    xAxis: shareAxis('False positive rate (retained flagged)'),
    yAxis: shareAxis('True positive rate (churned flagged)', 1, 42),
    series: [
      {
        name: 'ROC', type: 'line', data: roc.map((point) => [point.fpr, point.tpr, point.threshold]),
        showSymbol: roc.length <= 40, symbolSize: 5, color: ACCENT, lineStyle: { width: 2 }, areaStyle: { opacity: 0.08 },
      },
      { name: 'Chance (AUC 0.5)', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', silent: true, color: MUTED, lineStyle: { type: 'dashed', width: 1 } },
    ],
  });
}

/** Lift by decile: decile 1 holds the highest churn risk; a useful score falls from left to right. */
export function liftOption({ liftByDecile }) {
  return base({
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: ([{ dataIndex }]) => {
        const d = liftByDecile[dataIndex];
        return `Decile ${d.decile} (churn risk ${d.minScore}–${d.maxScore})<br>`
          + `${d.positives} of ${d.accounts} churned (${percent(d.rate)})<br>Lift ${d.lift.toFixed(2)}×`;
      },
    },
    xAxis: { type: 'category', data: liftByDecile.map((d) => String(d.decile)), axisLabel: { interval: 0 }, name: 'Decile (1 = riskiest)', nameLocation: 'middle', nameGap: 30, nameTextStyle: { color: MUTED } },
    yAxis: { type: 'value', name: 'Lift', nameTextStyle: { color: MUTED }, axisLabel: { formatter: (value) => `${value}×` }, splitLine: { lineStyle: { color: '#edf0f3' } } },
    series: [{
      name: 'Lift', type: 'bar', barMaxWidth: 36,
      data: liftByDecile.map((d) => ({ value: d.lift, itemStyle: { color: d.lift >= 1 ? ACCENT : '#a9bde6' } })),
      // A zero-lift decile has no bar; its label would only crowd its neighbours' on a phone.
      label: { show: true, position: 'top', fontSize: 11, color: '#3c4650', formatter: ({ value }) => (value > 0 ? `${value.toFixed(1)}×` : '') },
      markLine: { silent: true, symbol: 'none', data: [{ yAxis: 1 }], lineStyle: { color: MUTED, type: 'dashed' }, label: { show: false } },
    }],
  });
}

/** Calibration by band: mean churn risk (as a share) against the observed churn rate, with the ideal line. */
export function calibrationOption({ calibration }) {
  const bands = calibration.filter((band) => band.accounts > 0 && band.churnRate !== null && band.meanChurnRisk !== null);
  const points = bands.map((band) => [band.meanChurnRisk / 100, band.churnRate]);
  const top = Math.min(1, Math.ceil((Math.max(0.1, ...points.flat()) + 0.05) * 10) / 10);
  const largest = Math.max(1, ...bands.map((band) => band.accounts));
  return base({
    tooltip: {
      trigger: 'item',
      formatter: ({ seriesName, dataIndex }) => {
        if (seriesName !== 'Bands') return '';
        const band = bands[dataIndex];
        return `<b>${band.band}</b>: ${band.churned} of ${band.accounts} churned<br>`
          + `observed ${percent(band.churnRate)} · mean churn risk ${band.meanChurnRisk.toFixed(1)}`;
      },
    },
    legend: { top: 0, right: 0, data: ['Ideal (risk/100 = rate)'], icon: LINE_ICON, itemHeight: 3, textStyle: { color: MUTED } },
    xAxis: shareAxis('Predicted: mean churn risk ÷ 100', top),
    yAxis: shareAxis('Observed churn rate', top, 42),
    series: [
      { name: 'Ideal (risk/100 = rate)', type: 'line', data: [[0, 0], [top, top]], symbol: 'none', silent: true, color: MUTED, lineStyle: { type: 'dashed', width: 1 } },
      { name: 'Trend', type: 'line', data: points, symbol: 'none', silent: true, color: '#c5ccd4', lineStyle: { width: 1 } },
      {
        name: 'Bands', type: 'scatter',
        data: bands.map((band, i) => ({ value: points[i], itemStyle: { color: bandColor(band.band) }, name: band.band })),
        symbolSize: (_value, { dataIndex }) => 10 + 18 * Math.sqrt(bands[dataIndex].accounts / largest),
        label: { show: true, position: 'top', formatter: ({ name }) => name, color: '#3c4650' },
      },
    ],
  });
}

/** sBG survival per segment: the share of a starting cohort still a customer after t renewal decisions. */
export function survivalOption(sbg, periods = 12) {
  const steps = Array.from({ length: periods + 1 }, (_, t) => String(t));
  return base({
    color: SEGMENT_COLORS,
    grid: { left: 60, right: 20, top: 36, bottom: 48 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => percent(value) },
    legend: { top: 0, type: 'scroll', textStyle: { color: MUTED } },
    xAxis: { type: 'category', boundaryGap: false, data: steps, name: 'Renewal decisions (contract terms)', nameLocation: 'middle', nameGap: 30, nameTextStyle: { color: MUTED } },
    yAxis: shareAxis('Still a customer', 1, 42),
    series: sbg.map((fit) => ({ name: fit.segment, type: 'line', data: sbgSurvival(fit, periods), symbolSize: 4, lineStyle: { width: 2 } })),
  });
}
