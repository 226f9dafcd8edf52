// The scorecards (accounts per band, revenue at risk, expected LTV) and the rollup charts.
import { html, useMemo, useState } from '../../lib/html.js';
import { Chart } from '../../lib/chart.js';
import { BANDS, bandColor, money, num, pct } from '../../lib/format.js';
import { Card, Empty } from '../../lib/ui.js';

const BAND_LABELS = { green: 'Healthy', amber: 'Watch', red: 'At risk' };

/** Counts per band with their share as one stacked bar; a band's count filters the table. */
export function BandSummary({ totals, selectedBand, onSelectBand }) {
  const open = totals.open || 1;
  return html`
    <${Card} title="Accounts by health" testId="band-summary" class="kpi-card band-summary">
      <div class="kpi-value">${num(totals.open)}<span class="kpi-unit"> open</span></div>
      <div class="band-bar" aria-hidden="true">
        ${BANDS.map((band) => html`<span class=${`band-bar-part band-bar-${band}`} style=${{ flexGrow: totals.bands[band] }}></span>`)}
      </div>
      <div class="band-counts">
        ${BANDS.map((band) => html`
          <button type="button" class=${`band-count${selectedBand === band ? ' selected' : ''}`} data-testid=${`band-count-${band}`}
            data-count=${totals.bands[band]} aria-pressed=${selectedBand === band}
            title=${`Show ${BAND_LABELS[band].toLowerCase()} accounts in the table`}
            onClick=${() => onSelectBand(selectedBand === band ? '' : band)}>
            <span class="band-dot" style=${{ background: bandColor(band) }}></span>
            <span class="band-count-number">${num(totals.bands[band])}</span>
            <span class="band-count-label">${BAND_LABELS[band]} · ${pct(totals.bands[band] / open)}</span>
          </button>`)}
      </div>
      ${totals.churned + totals.closed > 0 && html`<div class="kpi-caption">${endedAccounts(totals)} not counted</div>`}
    <//>`;
}

/** One money figure per currency (amounts never mix currencies): the main one large, the others below. */
function MoneyFigure({ totals, currency, field, caption }) {
  const others = [...totals.money.keys()].filter((code) => code !== currency).sort();
  return html`
    <div class="kpi-value">${money(totals.money.get(currency)?.[field] ?? 0, currency)}</div>
    ${others.length > 0 && html`
      <div class="kpi-other">${others.map((code, index) => html`${index > 0 ? ' · ' : '+ '}<span class="kpi-other-amount">${money(totals.money.get(code)[field], code)}</span>`)}</div>`}
    <div class="kpi-caption">${caption}</div>`;
}

export function RevenueAtRisk({ totals, currency }) {
  const watch = totals.money.get(currency)?.revenueAtWatch ?? 0;
  const red = totals.money.get(currency)?.redAccounts ?? 0;
  const redElsewhere = totals.bands.red - red;
  // The large figure is one currency's: its caption counts only the red accounts billed in it.
  const counted = html`<span data-testid="revenue-at-risk-accounts" data-count=${red} data-currency=${currency}>${num(red)}</span>`;
  const caption = html`Annual contract value of ${counted} red account${red === 1 ? '' : 's'} billed in ${currency}${
    redElsewhere > 0 ? `, ${num(redElsewhere)} more in other currencies` : ''}<br />${money(watch, currency)} more on watch (amber)`;
  return html`
    <${Card} title="Revenue at risk" testId="revenue-at-risk" class="kpi-card">
      <${MoneyFigure} totals=${totals} currency=${currency} field="revenueAtRisk" caption=${caption} />
    <//>`;
}

export function ExpectedLtv({ totals, currency }) {
  const realized = totals.money.get(currency)?.realizedLtv ?? 0;
  return html`
    <${Card} title="Expected lifetime value" testId="expected-ltv" class="kpi-card">
      <${MoneyFigure} totals=${totals} currency=${currency} field="expectedLtv"
        caption=${html`Future value of open accounts<br />${money(realized, currency)} realized to date`} />
    <//>`;
}

const METRICS = {
  bands: 'Accounts by band',
  revenueAtRisk: 'Revenue at risk',
  expectedLtv: 'Expected LTV',
};
const VISIBLE_BARS = 14;

function metricOf(totals, metric, currency) {
  if (metric === 'bands') return totals.bands.red * 1e6 + totals.bands.amber * 1e3 + totals.bands.green;
  return totals.money.get(currency)?.[metric] ?? 0;
}

const currenciesOf = (byKey) => [...new Set([...byKey.values()].flatMap((totals) => [...totals.money.keys()]))].sort();

/** Horizontal bars, the largest on top; more than VISIBLE_BARS groups scroll. */
function rollupOption(byKey, metric, currency) {
  const rows = [...byKey.entries()].sort(([keyA, a], [keyB, b]) => metricOf(a, metric, currency) - metricOf(b, metric, currency) || keyB.localeCompare(keyA));
  const categories = rows.map(([key]) => key);
  const moneyLabel = (value) => money(value, currency, { compact: true });
  const series = metric === 'bands'
    ? BANDS.map((band) => ({
      name: BAND_LABELS[band], type: 'bar', stack: 'bands', barMaxWidth: 18,
      itemStyle: { color: bandColor(band) }, emphasis: { focus: 'series' },
      data: rows.map(([, totals]) => totals.bands[band]),
    }))
    : [{
      name: METRICS[metric], type: 'bar', barMaxWidth: 18,
      itemStyle: { color: metric === 'revenueAtRisk' ? bandColor('red') : '#2f5fd0', borderRadius: [0, 3, 3, 0] },
      data: rows.map(([, totals]) => totals.money.get(currency)?.[metric] ?? 0),
    }];
  const scrolls = rows.length > VISIBLE_BARS;
  return {
    grid: { left: 8, right: scrolls ? 40 : 16, top: metric === 'bands' ? 30 : 8, bottom: 8, containLabel: true },
    legend: metric === 'bands' ? { top: 0, left: 0, itemWidth: 10, itemHeight: 10, icon: 'circle' } : undefined,
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true,
      valueFormatter: metric === 'bands' ? (value) => num(value) : moneyLabel,
    },
    xAxis: { type: 'value', axisLabel: { formatter: metric === 'bands' ? (value) => num(value) : moneyLabel, hideOverlap: true }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    yAxis: { type: 'category', data: categories, axisTick: { show: false }, axisLine: { lineStyle: { color: '#d0d7e2' } }, axisLabel: { width: 110, overflow: 'truncate' } },
    dataZoom: scrolls
      ? [
        { type: 'slider', yAxisIndex: 0, right: 4, width: 14, startValue: rows.length - VISIBLE_BARS, endValue: rows.length - 1, showDetail: false, brushSelect: false },
        { type: 'inside', yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true },
      ]
      : [],
    series,
  };
}

/** A rollup (per manager or per segment) as a bar chart; clicking a bar filters the table by it. */
export function RollupCard({ title, testId, byKey, currency, selectedKey, onSelect }) {
  const [metric, setMetric] = useState('bands');
  const option = useMemo(() => rollupOption(byKey, metric, currency), [byKey, metric, currency]);
  const bars = Math.min(byKey.size, VISIBLE_BARS);
  const otherCurrencies = useMemo(() => currenciesOf(byKey).filter((code) => code !== currency), [byKey, currency]);
  const height = Math.max(180, bars * 26 + (metric === 'bands' ? 60 : 36));
  const actions = html`
    <select aria-label=${`${title}: measure`} data-testid=${`${testId}-metric`} value=${metric} onChange=${(event) => setMetric(event.currentTarget.value)}>
      ${Object.entries(METRICS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
    </select>`;
  return html`
    <${Card} title=${title} actions=${actions} class="rollup-card">
      ${byKey.size === 0
        ? html`<${Empty} text="No accounts yet." />`
        : html`
          <${Chart} option=${option} height=${height} testId=${testId} onClick=${(params) => onSelect(params.name === selectedKey ? '' : params.name)} />
          <div class="chart-hint">
            ${metric !== 'bands' && otherCurrencies.length > 0 && html`Amounts in ${currency}; accounts billed in ${otherCurrencies.join(', ')} are not in this view. `}
            Click a bar to filter the table${selectedKey ? html` · showing <strong>${selectedKey}</strong>` : ''}
          </div>`}
    <//>`;
}

/** "3 churned and 2 closed accounts", naming only the kinds there are. */
function endedAccounts({ churned, closed }) {
  const kinds = [churned > 0 && `${num(churned)} churned`, closed > 0 && `${num(closed)} closed`].filter(Boolean);
  return `${kinds.join(' and ')} accounts`;
}
