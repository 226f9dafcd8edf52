// The scorecard's head: who the account is, its band and churn-risk score against its previous
// one, and the two dates an account manager acts on (renewal, last contact).
import { html } from '../../lib/html.js';
import { useApi } from '../../lib/api.js';
import { bandColor, date, dateTime } from '../../lib/format.js';
import { Band } from '../../lib/ui.js';
import { days, daysUntil, relativeDays, signed } from './account-labels.js';

const DAY_MS = 86_400_000;
/** How far back a previous score is looked for: an account quiet for longer shows none. */
const LOOK_BACK_DAYS = 730;
const CHANGE_ARROWS = { up: '▲', flat: '▶', down: '▼' };

export function AccountHeader({ row, refreshing, onRefresh }) {
  const renewalIn = daysUntil(row.renewalDate);
  return html`
    <section class="card account-header" style=${{ '--band-color': bandColor(row.band), '--score': String(row.churnRisk) }}>
      <div class="ah-identity">
        <div class="ah-title">
          <h1 class="page-title">${row.name}</h1>
          <span data-testid="account-band" data-band=${row.band}><${Band} band=${row.band} /></span>
          ${row.status === 'closed' && html`<span class="ah-closed" title="Closed accounts are read-only">Closed</span>`}
          ${row.status === 'churned' && html`<span class="ah-closed" title="The renewal was lost and the contract has ended">Churned</span>`}
        </div>
        <div class="ah-meta">
          <span title="Account id"><code>${row.accountId}</code></span>
          <span><span class="ah-meta-label">Segment</span> ${row.segment}</span>
          <span><span class="ah-meta-label">Manager</span> ${row.managerId}</span>
        </div>
        ${row.status === 'closed' && html`<div class="ah-closed-note">Closed account: its scorecard stands as it was scored at closure, ${date(row.scoredAt)}.</div>`}
        ${row.status === 'churned' && html`<div class="ah-closed-note">Churned: the renewal was lost and the contract ended on ${row.renewalDate}; its scorecard stands as it was scored then, ${date(row.scoredAt)}.</div>`}
      </div>
      <div class="ah-score" title="Churn risk: the sum of the factor points, 0–100">
        <div class="ah-ring" aria-hidden="true"></div>
        <div class="ah-score-text">
          <span class="ah-score-value" data-testid="churn-score">${row.churnRisk}</span>
          <span class="ah-score-caption">churn risk</span>
        </div>
      </div>
      <dl class="ah-facts">
        <${PreviousScore} row=${row} />
        <div data-testid="renewal-date">
          <dt>Renewal</dt>
          <dd>${row.renewalDate ? date(row.renewalDate) : 'No contract'}</dd>
          ${row.renewalDate && html`<dd class=${`ah-sub ${renewalIn !== null && renewalIn >= 0 && renewalIn <= 90 ? 'ah-warn' : ''}`}>${relativeDays(renewalIn)}</dd>`}
        </div>
        <div data-testid="days-since-contact">
          <dt>Last contact</dt>
          <dd class=${row.daysSinceLastContact >= 30 ? 'ah-warn' : ''}>${row.daysSinceLastContact === null ? 'Never' : `${days(row.daysSinceLastContact)} ago`}</dd>
        </div>
        <div>
          <dt>Scored</dt>
          <dd>${dateTime(row.scoredAt)}</dd>
          <dd class="ah-sub">
            rules ${row.scoringVersion}
            <button type="button" class="button link ah-refresh" onClick=${onRefresh} disabled=${refreshing}>${refreshing ? 'refreshing…' : 'refresh'}</button>
          </dd>
        </div>
      </dl>
    </section>`;
}

/**
 * The score of the last day before the one scored with events (health_history: one row a day
 * on which anything changed), and the live score's move since: DESIGN.md's "previous score /
 * trend arrow". Up is riskier; for an account without events since, the move is time's alone
 * (days without contact, invoices overdue). Nothing when there is no earlier day.
 */
function PreviousScore({ row }) {
  const scoredDay = row.scoredAt.slice(0, 10);
  const dayOf = (daysBefore) => new Date(Date.parse(`${scoredDay}T00:00:00Z`) - daysBefore * DAY_MS).toISOString().slice(0, 10);
  const history = useApi(`/v1/health/${encodeURIComponent(row.accountId)}/history`, { interval: 'day', from: dayOf(LOOK_BACK_DAYS), to: dayOf(1) });
  const previous = history.data?.items?.at(-1);
  if (!previous) return null;
  const change = row.churnRisk - previous.churnRisk;
  const direction = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  return html`
    <div data-testid="score-change" data-previous=${previous.churnRisk} data-since=${previous.period} data-direction=${direction}>
      <dt>Previous score</dt>
      <dd>${previous.churnRisk} on ${date(previous.period)}</dd>
      <dd class=${`ah-sub score-change-${direction}`} title="The churn risk now against that day's">
        <span aria-hidden="true">${CHANGE_ARROWS[direction]}</span> ${change === 0 ? 'no change' : `${signed(change)} since`}
      </dd>
    </div>`;
}
