// Small shared pieces, so every page shows cards, bands and the loading/empty/error states alike.
import { html } from './html.js';
import { bandColor } from './format.js';

export function Card({ title, children, testId, actions, class: className = '' }) {
  return html`
    <section class=${`card ${className}`} data-testid=${testId}>
      ${(title || actions) && html`
        <header class="card-header">
          ${title && html`<h2 class="card-title">${title}</h2>`}
          ${actions && html`<div class="card-actions">${actions}</div>`}
        </header>`}
      <div class="card-body">${children}</div>
    </section>`;
}

/** A coloured pill with the band's name (colour is never the only signal). */
export function Band({ band }) {
  if (!band) return html`<span class="band band-none">—</span>`;
  return html`<span class=${`band band-${band}`} style=${{ '--band-color': bandColor(band) }} data-band=${band}>${band}</span>`;
}

/** An ApiError (or any error) as a readable box: what failed and what the API said. */
export function ErrorBox({ error, title }) {
  if (!error) return null;
  const status = error.status ? `${error.status}${error.error ? ` ${error.error}` : ''}` : error.name ?? '';
  const hint = error.status === 403
    ? 'This key does not have the role this view needs.'
    : error.status === 503 ? 'The read models are not ready yet; try again in a moment.' : '';
  return html`
    <div class="error-box" role="alert" data-testid="error-box">
      <strong>${title ?? 'Could not load this view'}</strong>
      ${(status || error.code) && html`<div class="error-status">${status}${error.code ? ` · ${error.code}` : ''}</div>`}
      <div>${error.message}</div>
      ${hint && html`<div class="error-hint">${hint}</div>`}
    </div>`;
}

export function Spinner({ label = 'Loading…' }) {
  return html`<div class="spinner" role="status" aria-live="polite"><span class="spinner-dot"></span>${label}</div>`;
}

export function Empty({ text = 'Nothing to show.' }) {
  return html`<div class="empty">${text}</div>`;
}
