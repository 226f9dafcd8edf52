// The account's escalations, newest first, with Acknowledge for the open ones. The list is a
// read model: right after a 201 it may still say "open", so the row is re-read until it moves.
import { html, useEffect, useRef, useState } from '../../lib/html.js';
import { apiGet, apiPost, useApi } from '../../lib/api.js';
import { dateTime } from '../../lib/format.js';
import { Card, Empty, ErrorBox, Spinner } from '../../lib/ui.js';
import { ESCALATION_RULES } from './account-labels.js';
import { RoleNote } from './role-note.js';

const STATUSES = ['', 'open', 'acknowledged', 'resolved'];
const PAGE_SIZE = 50;
const READ_BACK_DELAYS_MS = [250, 500, 750, 1000, 1500, 2000];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const newIdempotencyKey = () => (globalThis.crypto?.randomUUID?.() ?? `ack-${Date.now()}-${Math.random().toString(16).slice(2)}`);

export function Escalations({ accountId }) {
  const [status, setStatus] = useState('');
  const list = useApi('/v1/escalations', { accountId, status, limit: PAGE_SIZE });
  const [rows, setRows] = useState([]);
  const [nextCursor, setNextCursor] = useState(null);
  useEffect(() => {
    if (!list.data) return;
    setRows(list.data.items);
    setNextCursor(list.data.nextCursor);
  }, [list.data]);

  const loadMore = async () => {
    const page = await apiGet('/v1/escalations', { accountId, status, limit: PAGE_SIZE, cursor: nextCursor });
    setRows((current) => [...current, ...page.items]);
    setNextCursor(page.nextCursor);
  };
  const replaceRow = (fresh) => setRows((current) => current.map((row) => (row.escalationId === fresh.escalationId ? fresh : row)));
  const openCount = rows.filter((row) => row.status === 'open').length;

  const filter = html`
    <label class="inline-field">Status
      <select data-testid="escalation-status-filter" value=${status} onChange=${(event) => setStatus(event.currentTarget.value)}>
        ${STATUSES.map((value) => html`<option value=${value}>${value || 'all'}</option>`)}
      </select>
    </label>`;

  return html`
    <${Card} title=${`Escalations${openCount > 0 ? ` · ${openCount} open` : ''}`} testId="escalations" class="span-2 escalations-card" actions=${filter}>
      ${list.error && (list.error.status === 403
        ? html`<${RoleNote} role="analyst" what="read escalations" error=${list.error} />`
        : html`<${ErrorBox} error=${list.error} title="Could not load the escalations" />`)}
      ${list.loading && rows.length === 0 && html`<${Spinner} label="Loading escalations…" />`}
      ${!list.loading && !list.error && rows.length === 0 && html`<${Empty} text=${status ? `No ${status} escalations.` : 'No escalations for this account.'} />`}
      ${rows.length > 0 && html`
        <ul class="escalation-list">
          ${rows.map((row) => html`<${EscalationRow} key=${row.escalationId} row=${row} onChanged=${replaceRow} />`)}
        </ul>`}
      ${nextCursor && html`<button type="button" class="button" onClick=${loadMore}>Show more</button>`}
    <//>`;
}

function EscalationRow({ row, onChanged }) {
  const [phase, setPhase] = useState('idle'); // idle | sending | confirming | lagging
  const [error, setError] = useState(null);
  const idempotencyKey = useRef(null);

  const acknowledge = async () => {
    setError(null);
    setPhase('sending');
    // One key per intent: a retry after a network error cannot acknowledge twice.
    idempotencyKey.current ??= newIdempotencyKey();
    try {
      await apiPost(`/v1/escalations/${encodeURIComponent(row.escalationId)}/acknowledgement`, {}, { idempotencyKey: idempotencyKey.current });
    } catch (failure) {
      const noLongerOpen = failure.status === 409 && /ALREADY_(ACKNOWLEDGED|RESOLVED)/.test(failure.code ?? '');
      if (!noLongerOpen) {
        setError(failure);
        setPhase('idle');
        return;
      }
    }
    idempotencyKey.current = null;
    setPhase('confirming');
    setPhase((await readBackUntilMoved(row, onChanged)) ? 'idle' : 'lagging');
  };

  const overdue = row.status === 'open' && row.dueAt && Date.parse(row.dueAt) < Date.now();
  return html`
    <li class=${`escalation-row status-${row.status}`} data-testid="escalation-row" data-escalation-id=${row.escalationId} data-status=${row.status}>
      <div class="escalation-main">
        <div class="escalation-title">
          <span class=${`status-pill status-${row.status}`}>${row.status}</span>
          <strong>${ESCALATION_RULES[row.rule] ?? row.rule}</strong>
          ${row.severity && html`<span class=${`severity severity-${row.severity}`}>${row.severity}</span>`}
        </div>
        <div class="escalation-reason">${row.reason}</div>
        <div class="escalation-meta">
          <span>opened ${dateTime(row.createdAt)}</span>
          ${row.dueAt && html`<span class=${overdue ? 'risk-flag' : ''}>due ${dateTime(row.dueAt)}</span>`}
          ${row.acknowledgedAt && html`<span>acknowledged ${dateTime(row.acknowledgedAt)} by <code>${row.acknowledgedBy}</code></span>`}
          ${row.acknowledgementNote && html`<span>“${row.acknowledgementNote}”</span>`}
          ${row.resolvedAt && html`<span>resolved ${dateTime(row.resolvedAt)}${row.resolution ? `: ${row.resolution}` : ''}</span>`}
        </div>
        ${error && (error.status === 403
          ? html`<${RoleNote} role="writer" what="acknowledge an escalation" error=${error} testId="ack-error" />`
          : html`<div data-testid="ack-error"><${ErrorBox} error=${error} title="Could not acknowledge" /></div>`)}
        ${phase === 'lagging' && html`<div class="escalation-lag">Acknowledged; the list has not caught up yet. <button type="button" class="button link" onClick=${() => readBackUntilMoved(row, onChanged).then((moved) => moved && setPhase('idle'))}>Check again</button></div>`}
      </div>
      ${row.status === 'open' && html`
        <button type="button" class="button primary ack-button" data-testid="ack-button" disabled=${phase !== 'idle' && phase !== 'lagging'} onClick=${acknowledge}>
          ${phase === 'sending' ? 'Acknowledging…' : phase === 'confirming' ? 'Confirming…' : 'Acknowledge'}
        </button>`}
    </li>`;
}

/** Re-reads the escalation a few times (the read model may lag the 201); true once it is no longer open. */
async function readBackUntilMoved(row, onChanged) {
  for (const delay of READ_BACK_DELAYS_MS) {
    await sleep(delay);
    try {
      const fresh = await apiGet(`/v1/escalations/${encodeURIComponent(row.escalationId)}`);
      if (fresh.status !== 'open') {
        onChanged(fresh);
        return true;
      }
    } catch {
      // A transient failure of a read-back is not the acknowledgement's: try again.
    }
  }
  return false;
}
