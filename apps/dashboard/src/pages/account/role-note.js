// A 403 is not a failure of the page: the key lacks a role. Say which one, and what the API said.
import { html } from '../../lib/html.js';

/** A padlock drawn inline: headless and minimal systems often have no emoji font. */
export function LockIcon() {
  return html`
    <svg class="lock-icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
    </svg>`;
}

/** `what` completes "Only keys with the … role can …": a verb phrase such as 'read the event log'. */
export function RoleNote({ role, what, error, testId = 'role-note' }) {
  return html`
    <div class="role-note" role="note" data-testid=${testId} data-role=${role}>
      <${LockIcon} />
      <div>
        Only keys with the <b>${role}</b> role (or admin) can ${what}.
        ${error?.message && html`<div class="role-note-detail">${error.message}</div>`}
      </div>
    </div>`;
}
