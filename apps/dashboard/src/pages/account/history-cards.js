// Score and satisfaction over time: the health history (one point per bucket with events) and
// the account's survey means per period, on one range picker.
import { html, useMemo, useState } from '../../lib/html.js';
import { useApi } from '../../lib/api.js';
import { Chart } from '../../lib/chart.js';
import { num } from '../../lib/format.js';
import { Card, ErrorBox } from '../../lib/ui.js';
import { scoreHistoryOption, satisfactionOption } from './history-options.js';
import { signed } from './account-labels.js';
import { RoleNote } from './role-note.js';

const RANGES = [
  { id: '90d', label: '90 days', days: 90, interval: 'day', trends: 'week' },
  { id: '1y', label: '1 year', days: 365, interval: 'week', trends: 'month' },
  { id: '2y', label: '2 years', days: 730, interval: 'week', trends: 'month' },
  { id: 'all', label: 'All', days: null, interval: 'month', trends: 'month' },
];
const DEFAULT_RANGE = '1y';

function fromDay(range) {
  if (range.days === null) return undefined;
  return new Date(Date.now() - range.days * 86_400_000).toISOString().slice(0, 10);
}

export function HistoryCards({ accountId, row }) {
  const [rangeId, setRangeId] = useState(DEFAULT_RANGE);
  const range = RANGES.find((candidate) => candidate.id === rangeId);
  const from = fromDay(range);
  const id = encodeURIComponent(accountId);
  const history = useApi(`/v1/health/${id}/history`, { interval: range.interval, from });
  const trends = useApi('/v1/satisfaction/trends', { groupBy: 'account', key: accountId, interval: range.trends, from });

  const points = history.data?.items ?? [];
  // The answer's own bucket: while a new range loads, the points shown are still the old range's.
  const interval = history.data?.interval ?? range.interval;
  const scoreOption = useMemo(() => scoreHistoryOption(points, row, from, interval), [history.data, row, from, interval]);
  const satisfactionChart = useMemo(
    () => satisfactionOption(points, trends.data?.items ?? [], row, from, interval),
    [history.data, trends.data, row, from, interval],
  );

  const picker = html`
    <div class="range-picker" role="group" aria-label="History range">
      ${RANGES.map((candidate) => html`
        <button type="button" class=${`button ${candidate.id === rangeId ? 'primary' : ''}`} aria-pressed=${candidate.id === rangeId}
          data-testid=${`history-range-${candidate.id}`} onClick=${() => setRangeId(candidate.id)}>${candidate.label}</button>`)}
    </div>`;

  return html`
    <${Card} title="Churn risk over time" testId="score-history-card" actions=${picker}>
      ${history.error
        ? html`<${LoadError} error=${history.error} what="read the score history" />`
        : html`
          <${Chart} option=${scoreOption} height=${260} testId="score-history" />
          <p class="chart-note">Each point is the score after the last event of its ${interval}${interval === 'day' ? '' : `, drawn at the ${interval}'s end`}; the last one is the live score.
            Days without events add no point (time-based factors may have moved since).</p>`}
    <//>
    <${Card} title="Satisfaction" testId="satisfaction-card" actions=${html`<${TrendArrow} satisfaction=${row.satisfaction} />`}>
      <div class="satisfaction-kpis">
        <div><span class="kpi-value">${num(row.satisfaction.latest, 1)}</span><span class="kpi-caption">latest survey (0–100)</span></div>
        <div><span class="kpi-value">${num(row.satisfaction.mean90d, 1)}</span><span class="kpi-caption">90-day mean</span></div>
      </div>
      ${history.error || trends.error
        ? html`<${LoadError} error=${history.error ?? trends.error} what="read the satisfaction history" />`
        : html`<${Chart} option=${satisfactionChart} height=${220} testId="satisfaction-history" />`}
    <//>`;
}

function LoadError({ error, what }) {
  if (error.status === 403) return html`<${RoleNote} role="analyst" what=${what} error=${error} />`;
  return html`<${ErrorBox} error=${error} title="Could not load this chart" />`;
}

const ARROWS = { up: '▲', flat: '▶', down: '▼' };

/** The direction of the survey trend (slope over 180 days, flat below 2 points per 30 days). */
export function TrendArrow({ satisfaction }) {
  const { arrow, trend } = satisfaction;
  const slope = trend === null ? 'too few surveys for a trend' : `${signed(trend, 2)} pts / 30 days`;
  return html`
    <span class=${`trend-arrow trend-${arrow}`} data-testid="trend-arrow" data-arrow=${arrow} title=${`Satisfaction trend: ${slope}`}>
      <span aria-hidden="true">${ARROWS[arrow] ?? '•'}</span> ${arrow} <span class="trend-slope">${slope}</span>
    </span>`;
}
