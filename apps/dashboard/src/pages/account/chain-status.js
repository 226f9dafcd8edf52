// The hash chain of the account's stream, walked by the server (GET /v1/accounts/:id/verify).
import { html } from '../../lib/html.js';
import { LockIcon } from './role-note.js';

export function ChainStatus({ verify }) {
  const { data, error, loading, reload } = verify;
  let body;
  if (data) {
    body = data.ok
      ? html`<span class="chain-icon" aria-hidden="true">✔</span> Hash chain intact · ${data.checked} event${data.checked === 1 ? '' : 's'} checked`
      : html`<span class="chain-icon" aria-hidden="true">✖</span> Chain broken at revision ${data.brokenAt}${data.reason ? `: ${data.reason}` : ''} (${data.checked} checked)`;
  } else if (error?.status === 403) {
    body = html`<${LockIcon} /> Chain not checked: needs auditor`;
  } else if (error) {
    body = html`<span class="chain-icon" aria-hidden="true">!</span> Verification failed: ${error.message}`;
  } else {
    body = 'Verifying the hash chain…';
  }
  const state = data ? (data.ok ? 'ok' : 'broken') : 'unknown';
  return html`
    <span class="chain-status-box">
      <span class=${`chain-status chain-${state}`} data-testid="chain-status" data-ok=${data ? String(data.ok) : undefined} role="status">${body}</span>
      ${data && html`<button type="button" class="button link" onClick=${reload} disabled=${loading}>${loading ? 'verifying…' : 'verify again'}</button>`}
    </span>`;
}
