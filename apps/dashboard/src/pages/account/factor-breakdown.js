// Where the score comes from: each factor's points as a bar and as text, adding up to the score.
import { html, useMemo } from '../../lib/html.js';
import { Chart } from '../../lib/chart.js';
import { bandColor } from '../../lib/format.js';
import { Card } from '../../lib/ui.js';
import { factorLabel, factorValueText } from './account-labels.js';

const ZERO_COLOR = '#c9d1dc';
const BAND_LIMITS = [30, 60];

/** Horizontal bars, one per factor in the API's order (top to bottom), every bar labelled. */
export function factorChartOption(factors, band, { compareTo, labels = ['Points', 'Live'] } = {}) {
  const names = factors.map((factor) => factorLabel(factor.name)).reverse();
  const points = [...factors].reverse();
  const maxPoints = Math.max(...factors.map((f) => f.points), ...(compareTo ?? []).map((f) => f.points));
  // A round end of the axis with room for the labels: 5, 10, 15, 20…
  const axisMax = Math.max(5, Math.ceil((maxPoints + 1) / 5) * 5);
  const bar = (items, name, color, opacity = 1) => ({
    type: 'bar',
    name,
    itemStyle: { color, opacity },
    barMaxWidth: compareTo ? 10 : 16,
    barMinHeight: 2,
    data: items.map((factor) => ({
      value: factor.points,
      itemStyle: { color: factor.points > 0 ? color : ZERO_COLOR, opacity, borderRadius: [0, 3, 3, 0] },
      factor,
    })),
    label: { show: true, position: 'right', formatter: ({ value }) => (value > 0 ? `+${value}` : '0'), color: '#364152', fontWeight: 600 },
  });
  const series = [bar(points, labels[0], bandColor(band))];
  if (compareTo) series.push(bar([...compareTo].reverse(), labels[1], '#8a94a6', 0.55));
  return {
    grid: { left: 8, right: 36, top: compareTo ? 28 : 8, bottom: 8, containLabel: true },
    legend: compareTo ? { top: 0, right: 0, itemWidth: 12, itemHeight: 8 } : undefined,
    tooltip: {
      trigger: 'item',
      formatter: ({ data, seriesName }) => `${seriesName}: <b>${factorLabel(data.factor.name)}</b><br>${factorValueText(data.factor.name, data.factor.value)} → ${data.value} pts`,
    },
    xAxis: { type: 'value', min: 0, max: axisMax, minInterval: 1, splitLine: { lineStyle: { color: '#eef1f5' } } },
    yAxis: { type: 'category', data: names, axisTick: { show: false }, axisLine: { lineStyle: { color: '#c9d1dc' } } },
    series,
  };
}

export function FactorBreakdown({ factors, churnRisk, band }) {
  const option = useMemo(() => factorChartOption(factors, band), [factors, band]);
  const sum = factors.reduce((total, factor) => total + factor.points, 0);
  return html`
    <${Card} title="Why this score" testId="factor-card" class="factor-card">
      <${ScoreComposition} factors=${factors} band=${band} />
      <${Chart} option=${option} height=${270} testId="factor-breakdown" />
      <${FactorRows} factors=${factors} sum=${sum} churnRisk=${churnRisk} />
    <//>`;
}

/** The 0–100 scale with each factor's points laid end to end: the bar ends at the score. */
function ScoreComposition({ factors, band }) {
  const scoring = factors.filter((factor) => factor.points > 0);
  return html`
    <div class="score-strip" aria-hidden="true">
      ${scoring.map((factor, index) => html`
        <span class="score-strip-part" title=${`${factorLabel(factor.name)}: +${factor.points}`}
          style=${{ width: `${factor.points}%`, background: bandColor(band), opacity: 1 - (index % 2) * 0.25 }}>${factor.points >= 4 ? factor.points : ''}</span>`)}
      ${BAND_LIMITS.map((limit) => html`<span class="score-strip-limit" style=${{ left: `${limit}%` }}><span>${limit}</span></span>`)}
    </div>`;
}

export function FactorRows({ factors, sum, churnRisk, testId = 'factor-rows', rowTestId = 'factor-row', sumTestId = 'factor-sum' }) {
  return html`
    <div class="table-wrap">
      <table class="data factor-table" data-testid=${testId}>
        <thead><tr><th>Factor</th><th>Measured</th><th class="num">Points</th></tr></thead>
        <tbody>
          ${factors.map((factor) => html`
            <tr data-testid=${rowTestId} data-factor=${factor.name} data-points=${factor.points} class=${factor.points > 0 ? 'scoring' : ''}>
              <td>${factorLabel(factor.name)}</td>
              <td class="factor-value">${factorValueText(factor.name, factor.value)}</td>
              <td class="num factor-points">${factor.points > 0 ? `+${factor.points}` : '0'}</td>
            </tr>`)}
        </tbody>
        <tfoot>
          <tr class="factor-total">
            <td colspan="2">Churn risk (sum of points)${sum !== churnRisk ? html` <span class="factor-mismatch">≠ score ${churnRisk}</span>` : ''}</td>
            <td class="num" data-testid=${sumTestId}>${sum}</td>
          </tr>
        </tfoot>
      </table>
    </div>`;
}
