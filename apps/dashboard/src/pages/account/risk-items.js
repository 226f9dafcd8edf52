// Open complaints and overdue invoices: the counts of the health row for everyone, the items
// themselves from the account's folded state (GET /v1/accounts/:id/state, role auditor).
import { html } from '../../lib/html.js';
import { useApi } from '../../lib/api.js';
import { date, dateTime, money } from '../../lib/format.js';
import { Card, ErrorBox, Spinner } from '../../lib/ui.js';
import { days, daysUntil } from './account-labels.js';
import { RoleNote } from './role-note.js';

export function RiskItems({ accountId, row }) {
  const state = useApi(`/v1/accounts/${encodeURIComponent(accountId)}/state`, undefined, [row.position]);
  const folded = state.data?.state;
  // Judged at the row's scoring instant, like its counts: a churned or closed account's row stops when it ended.
  const scoredAt = Date.parse(row.scoredAt);
  return html`
    <${Card} title="Open issues" testId="open-issues" class="risk-card">
      <div class="risk-counts">
        <div class=${`risk-count ${row.openComplaints > 0 ? 'risk-on' : ''}`}>
          <span class="kpi-value" data-testid="open-complaints">${row.openComplaints}</span>
          <span class="kpi-caption">open complaint${row.openComplaints === 1 ? '' : 's'}</span>
        </div>
        <div class=${`risk-count ${row.overdueInvoices > 0 ? 'risk-on' : ''}`}>
          <span class="kpi-value" data-testid="overdue-invoices">${row.overdueInvoices}</span>
          <span class="kpi-caption">overdue invoice${row.overdueInvoices === 1 ? '' : 's'}</span>
        </div>
      </div>
      ${state.loading && !folded && html`<${Spinner} label="Loading details…" />`}
      ${state.error && (state.error.status === 403
        ? html`<${RoleNote} role="auditor" what="list the open complaints and overdue invoices themselves (the counts above are for every reader)" error=${state.error} />`
        : html`<${ErrorBox} error=${state.error} title="Could not load the details" />`)}
      ${folded && html`
        <${ComplaintList} complaints=${folded.openComplaints} scoredAt=${scoredAt} />
        <${InvoiceList} invoices=${folded.invoices} currency=${folded.currency ?? row.ltv.currency} scoredAt=${scoredAt} />`}
    <//>`;
}

function ComplaintList({ complaints, scoredAt }) {
  const entries = Object.entries(complaints).sort(([, a], [, b]) => a.raisedAt.localeCompare(b.raisedAt));
  if (entries.length === 0) return null;
  return html`
    <ul class="risk-list" data-testid="complaint-list">
      ${entries.map(([complaintId, complaint]) => {
        const breached = Date.parse(complaint.slaDueAt) < scoredAt;
        return html`
          <li data-testid="complaint-item" data-complaint-id=${complaintId}>
            <span class=${`severity severity-${complaint.severity}`}>${complaint.severity}</span>
            <span class="risk-id"><code>${complaintId}</code></span>
            <span class="risk-meta">raised ${date(complaint.raisedAt)} · SLA ${dateTime(complaint.slaDueAt)}</span>
            ${breached && html`<span class="risk-flag">SLA breached</span>`}
          </li>`;
      })}
    </ul>`;
}

function InvoiceList({ invoices, currency, scoredAt }) {
  const overdue = Object.entries(invoices)
    .map(([invoiceId, invoice]) => ({ invoiceId, ...invoice, late: -daysUntil(invoice.dueOn, scoredAt) }))
    .filter((invoice) => invoice.paid < invoice.amount && invoice.late > 0)
    .sort((a, b) => b.late - a.late);
  if (overdue.length === 0) return null;
  return html`
    <ul class="risk-list" data-testid="invoice-list">
      ${overdue.map((invoice) => html`
        <li data-testid="invoice-item" data-invoice-id=${invoice.invoiceId}>
          <span class="risk-amount">${money(invoice.amount - invoice.paid, currency)}</span>
          <span class="risk-id"><code>${invoice.invoiceId}</code></span>
          <span class="risk-meta">due ${date(invoice.dueOn)}${invoice.paid > 0 ? ` · ${money(invoice.paid, currency)} paid` : ''}</span>
          <span class="risk-flag">${days(invoice.late)} late</span>
        </li>`)}
    </ul>`;
}
