// The scorecard as it stood at the slider's instant (GET /v1/health/:id?asOf=&axis=, role
// auditor), beside the live one. A replay costs the server a fold of the log, so the request
// waits until the slider has rested for a moment, and an answer overtaken by a newer one is dropped.
import { html, useEffect, useMemo, useState } from '../../lib/html.js';
import { apiGet } from '../../lib/api.js';
import { Chart } from '../../lib/chart.js';
import { date, money } from '../../lib/format.js';
import { Band, ErrorBox } from '../../lib/ui.js';
import { factorChartOption } from './factor-breakdown.js';
import { days, signed } from './account-labels.js';

const DEBOUNCE_MS = 250;

/** `{ data, error, loading }`; `loading` until the answer is the one for this very instant and axis. */
function useAsOfHealth(accountId, at, axis, enabled) {
  const wanted = enabled && at !== null ? `${axis}|${at}` : null;
  const [answer, setAnswer] = useState({ key: null, data: null, error: null });
  useEffect(() => {
    if (wanted === null) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      apiGet(`/v1/health/${encodeURIComponent(accountId)}`, { asOf: at, axis }, { signal: controller.signal }).then(
        (data) => setAnswer({ key: wanted, data, error: null }),
        (error) => error?.name !== 'AbortError' && setAnswer({ key: wanted, data: null, error }),
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [accountId, wanted]);
  if (wanted === null) return { data: null, error: null, loading: false };
  const loading = answer.key !== wanted;
  // While the next answer is on its way, the previous one stays on screen, dimmed.
  return { data: answer.data, error: loading ? null : answer.error, loading };
}

export function AsOfScorecard({ accountId, at, axis, live, enabled }) {
  const { data, error, loading } = useAsOfHealth(accountId, at, axis, enabled);
  const shown = at === null ? live : data;
  const option = useMemo(
    () => shown && factorChartOption(shown.factors, shown.band, at === null ? {} : { compareTo: live.factors, labels: ['As of', 'Live'] }),
    [shown, live, at],
  );

  if (error) {
    if (error.code === 'ACCOUNT_NOT_YET_OPENED') {
      return html`<div class="asof-card asof-empty" data-testid="asof-scorecard">Not opened yet at this instant on the ${axis} axis${error.details?.existsFrom ? ` (from ${date(error.details.existsFrom)})` : ''}.</div>`;
    }
    return html`<div class="asof-card" data-testid="asof-scorecard"><${ErrorBox} error=${error} title="Could not replay the account at this instant" /></div>`;
  }
  if (!shown) {
    return html`<div class="asof-card asof-empty" data-testid="asof-scorecard" aria-busy="true">${enabled ? 'Replaying the log…' : 'Pick an instant with the slider.'}</div>`;
  }
  const delta = shown.churnRisk - live.churnRisk;
  return html`
    <div class=${`asof-card ${loading ? 'is-loading' : ''}`} data-testid="asof-scorecard" aria-busy=${loading}>
      <div class="asof-head">
        <div class="asof-score-box">
          <span class="asof-score" data-testid="asof-score" data-live=${at === null} data-loading=${loading}>${shown.churnRisk}</span>
          <span class="kpi-caption">churn risk ${at === null ? '(live)' : 'then'}</span>
        </div>
        <div class="asof-band">
          <span data-testid="asof-band" data-band=${shown.band}><${Band} band=${shown.band} /></span>
          ${at !== null && html`<span class=${`asof-delta ${delta > 0 ? 'up' : delta < 0 ? 'down' : ''}`}>${delta === 0 ? 'same as live' : `live ${live.churnRisk} (${signed(-delta)} since)`}</span>`}
        </div>
        <dl class="asof-facts">
          <div><dt>Open complaints</dt><dd>${shown.openComplaints}</dd></div>
          <div><dt>Overdue invoices</dt><dd>${shown.overdueInvoices}</dd></div>
          <div><dt>Last contact</dt><dd>${shown.daysSinceLastContact === null ? 'never' : `${days(shown.daysSinceLastContact)} before`}</dd></div>
          <div><dt>LTV total</dt><dd>${money(shown.ltv.total, shown.ltv.currency, { compact: true })}</dd></div>
        </dl>
      </div>
      <${Chart} option=${option} height=${at === null ? 250 : 300} testId="asof-factors" />
    </div>`;
}
