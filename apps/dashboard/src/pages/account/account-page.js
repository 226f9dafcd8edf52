// The account page: one account's scorecard (Gainsight-style), its history, money, open issues,
// escalations and, for auditors, its log with an as-of slider. Every section reads a public
// /v1 route on its own, so a role that may not read one section still sees the others.
import { html } from '../../lib/html.js';
import { useApi } from '../../lib/api.js';
import { ErrorBox, Spinner } from '../../lib/ui.js';
import { AccountHeader } from './account-header.js';
import { FactorBreakdown } from './factor-breakdown.js';
import { HistoryCards } from './history-cards.js';
import { LtvCard } from './ltv-card.js';
import { RiskItems } from './risk-items.js';
import { Escalations } from './escalations.js';
import { AuditSection } from './audit-section.js';
import { RoleNote } from './role-note.js';

export default function AccountPage({ accountId, query = {} }) {
  const path = `/v1/health/${encodeURIComponent(accountId)}`;
  const health = useApi(path);
  const row = health.data;

  if (!row) {
    return html`
      <div class="page account-page" data-testid="account-page" aria-busy=${health.loading}>
        ${health.loading && html`<${Spinner} label=${`Loading account ${accountId}…`} />`}
        ${health.error && html`<${AccountLoadError} accountId=${accountId} error=${health.error} retry=${health.reload} />`}
      </div>`;
  }

  return html`
    <div class="page account-page" data-testid="account-page" data-account-id=${accountId}>
      <${AccountHeader} row=${row} refreshing=${health.loading} onRefresh=${health.reload} />
      <div class="account-grid">
        <${FactorBreakdown} factors=${row.factors} churnRisk=${row.churnRisk} band=${row.band} />
        <div class="account-stack">
          <${LtvCard} ltv=${row.ltv} status=${row.status} />
          <${RiskItems} accountId=${accountId} row=${row} />
        </div>
        <${HistoryCards} accountId=${accountId} row=${row} />
        <${Escalations} accountId=${accountId} />
        <${AuditSection} accountId=${accountId} row=${row} query=${query} />
      </div>
    </div>`;
}

function AccountLoadError({ accountId, error, retry }) {
  if (error.status === 404) {
    return html`
      <div class="account-missing card" role="alert" data-testid="account-not-found">
        <h1 class="page-title">No account “${accountId}”</h1>
        <p>The API knows no account with this id${error.code === 'ACCOUNT_NOT_FOUND' ? '' : ' (or it is not projected yet)'}.
          Check the id, or find the account in the <a href="#/portfolio">portfolio</a>.</p>
      </div>`;
  }
  if (error.status === 403) {
    return html`<${RoleNote} role="analyst or auditor" what="read an account's scorecard" error=${error} testId="account-forbidden" />`;
  }
  return html`
    <div class="account-load-error">
      <${ErrorBox} error=${error} title="Could not load this account" />
      <button type="button" class="button" onClick=${retry}>Try again</button>
    </div>`;
}
