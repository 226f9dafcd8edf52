// Lifetime value: what the account has paid (realized) and what it is expected to pay, and
// which model made the expectation.
import { html } from '../../lib/html.js';
import { money } from '../../lib/format.js';
import { Card } from '../../lib/ui.js';
import { LTV_MODELS } from './account-labels.js';

export function LtvCard({ ltv, status }) {
  const { realized, expected, total, currency, model } = ltv;
  const realizedShare = total > 0 ? (realized / total) * 100 : 0;
  return html`
    <${Card} title="Lifetime value" testId="ltv-card" class="ltv-card">
      <div class="ltv-total">
        <span class="kpi-value" data-testid="ltv-total" title=${money(total, currency)}>${money(total, currency)}</span>
        <span class="kpi-caption">total (${currency}) = realized + expected</span>
      </div>
      <div class="ltv-split" role="img" aria-label=${`Realized ${money(realized, currency)}, expected ${money(expected, currency)}`}>
        <span class="ltv-split-realized" style=${{ width: `${realizedShare}%` }}></span>
        <span class="ltv-split-expected" style=${{ width: `${100 - realizedShare}%` }}></span>
      </div>
      <dl class="ltv-parts">
        <div>
          <dt><span class="ltv-swatch ltv-swatch-realized"></span>Realized</dt>
          <dd data-testid="ltv-realized">${money(realized, currency)}</dd>
          <dd class="ltv-sub">payments received</dd>
        </div>
        <div>
          <dt><span class="ltv-swatch ltv-swatch-expected"></span>Expected</dt>
          <dd data-testid="ltv-expected">${money(expected, currency)}</dd>
          <dd class="ltv-sub">future value, discounted</dd>
        </div>
      </dl>
      <div class="ltv-model" data-testid="ltv-model" data-model=${model}>
        <span class="ltv-model-label">Model</span>
        <strong>${LTV_MODELS[model] ?? model}</strong>
        ${status && status !== 'open' && html`<span class="ltv-sub"> · ${status} account: nothing more expected</span>`}
      </div>
    <//>`;
}
