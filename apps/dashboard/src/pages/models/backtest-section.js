import { html, useMemo } from '../../lib/html.js';
import { Chart } from '../../lib/chart.js';
import { Band, Card, Empty, ErrorBox } from '../../lib/ui.js';
import { calibrationOption, liftOption, rocOption } from './backtest-charts.js';
import { count, percent } from './model-params.js';
import { RunStatus } from './run-status.js';

/** GET /v1/analytics/backtest: how well churn risk as of asOf foretold the churn within the horizon. */
export function BacktestSection({ state, params }) {
  const { data, error, loading, startedAt } = state;
  return html`
    <section class="models-section" data-testid="backtest" aria-busy=${loading ? 'true' : 'false'}>
      <header class="models-section-head">
        <h2>Churn-score backtest</h2>
        <p class="models-meta">${data && !loading
          ? html`Scored as of <b>${data.asOf.slice(0, 10)}</b>; churn observed over the next <b>${data.horizonDays} days</b> (${data.axis} time)`
          : html`As of <b>${params.asOf}</b>; churn observed over the next <b>${params.horizonDays} days</b> (${params.axis} time)`}</p>
      </header>
      ${loading && html`<${RunStatus} startedAt=${startedAt} text="Replaying the event log and scoring every account…" />`}
      ${error && html`<${ErrorBox} error=${error} title="The backtest could not run" />`}
      ${data && html`<div class=${`models-result${loading ? ' is-stale' : ''}`}><${BacktestResult} backtest=${data} /></div>`}
    </section>`;
}

function BacktestResult({ backtest }) {
  // Options are built once per answer: typing in the controls re-renders the page, and a new option object would redraw every chart.
  const options = useMemo(() => ({ roc: rocOption(backtest), lift: liftOption(backtest), calibration: calibrationOption(backtest) }), [backtest]);
  if (backtest.accounts === 0) return html`<${Card}><${Empty} text=${nothingScoredText(backtest)} /></${Card}>`;
  const nobodyOrEverybody = backtest.auc === null;
  return html`
    <div class="grid grid-4 models-kpis">
      <${AucKpi} backtest=${backtest} />
      <${Card} title="Accounts scored">
        <div class="kpi-value">${count(backtest.accounts)}</div>
        <div class="kpi-caption">open at the as-of date, renewal not lost</div>
      </${Card}>
      <${Card} title="Churned">
        <div class="kpi-value">${count(backtest.churned)}</div>
        <div class="kpi-caption">${percent(backtest.churnRate)} of those scored, within ${backtest.horizonDays} days</div>
      </${Card}>
      <${Card} title="Left out">
        <div class="kpi-value">${count(backtest.excluded.closed + backtest.excluded.renewalLost)}</div>
        <div class="kpi-caption">${count(backtest.excluded.closed)} closed, ${count(backtest.excluded.renewalLost)} renewal lost: churn already known</div>
      </${Card}>
    </div>
    <div class="grid grid-3 models-charts">
      <${Card} title="ROC curve">
        ${nobodyOrEverybody
          ? html`<${Empty} text=${noRankingText(backtest)} />`
          : html`<${Chart} option=${options.roc} height=${300} testId="roc-chart" />`}
        <p class="models-note">Each point: flag every account at or above a churn-risk threshold. The dashed diagonal is chance.</p>
      </${Card}>
      <${Card} title="Lift by decile">
        ${nobodyOrEverybody
          ? html`<${Empty} text=${noRankingText(backtest)} />`
          : html`<${Chart} option=${options.lift} height=${300} testId="lift-chart" />`}
        <p class="models-note">Lift: a decile's churn rate over the overall ${percent(backtest.churnRate)}; the dashed line is 1×, no better than a random pick.</p>
        <${LiftTable} deciles=${backtest.liftByDecile} />
      </${Card}>
      <${Card} title="Calibration by band">
        <${Chart} option=${options.calibration} height=${300} testId="calibration-chart" />
        <${CalibrationTable} calibration=${backtest.calibration} />
        <p class="models-note">Churn risk is a 0–100 scorecard, not a probability: expect the observed rate to rise from green to amber to red rather than sit on the line.</p>
      </${Card}>
    </div>`;
}

/** AUC with its reading and the standard-error bound of docs/analytics.md, so a small sample looks small. */
function AucKpi({ backtest }) {
  const { auc, churned, accounts } = backtest;
  const retained = accounts - churned;
  const error = auc === null ? null : Math.sqrt((auc * (1 - auc)) / Math.max(1, Math.min(churned, retained)));
  return html`<${Card} title="AUC" class="models-auc">
    <div class="kpi-value">
      <span data-testid="auc-value" data-auc=${auc ?? ''} data-accounts=${accounts} data-churned=${churned}>${auc === null ? 'n/a' : auc.toFixed(3)}</span>
      ${error !== null && html`<span class="models-pm" title="Standard error bound, √(AUC(1−AUC)/min(churned, retained))"> ± ${error.toFixed(2)}</span>`}
    </div>
    <div class="kpi-caption">${auc === null ? noRankingText(backtest) : aucReading(auc)} · ${count(accounts)} accounts, ${count(churned)} churned</div>
  </${Card}>`;
}

function aucReading(auc) {
  if (auc < 0.5) return 'worse than chance: the score points the wrong way';
  if (auc < 0.6) return 'barely better than chance';
  if (auc < 0.7) return 'weak ranking';
  if (auc < 0.8) return 'fair ranking';
  if (auc < 0.9) return 'good ranking';
  return 'excellent ranking';
}

/** Why no account was scored: none there yet, or every one left out because its churn was already known. */
function nothingScoredText({ axis, excluded }) {
  const { closed, renewalLost } = excluded;
  if (closed + renewalLost > 0) {
    const kinds = [closed > 0 && `${count(closed)} closed`, renewalLost > 0 && `${count(renewalLost)} renewal lost`].filter(Boolean);
    const who = closed + renewalLost === 1 ? 'the one account there was' : `all ${count(closed + renewalLost)} accounts there were`;
    return `Nothing to score at this date: ${who} left out (${kinds.join(', ')}), their churn already known. Pick another as-of date.`;
  }
  return axis === 'recorded'
    ? 'No open account had been recorded by this date (recorded time: what the store had accepted). Pick a later date, or the occurred axis for back-dated history.'
    : 'No account was open at this date. Pick a later as-of date.';
}

const noRankingText = ({ churned }) => (churned === 0
  ? 'Nobody churned within the horizon: nothing to rank. Try a longer horizon or an earlier date.'
  : 'Every scored account churned within the horizon: nothing to rank.');

function LiftTable({ deciles }) {
  return html`<details class="models-details">
    <summary>Deciles as a table</summary>
    <div class="table-wrap"><table class="data models-table">
      <thead><tr><th>Decile</th><th class="num">Churn risk</th><th class="num">Accounts</th><th class="num">Churned</th><th class="num">Rate</th><th class="num">Lift</th></tr></thead>
      <tbody>${deciles.map((d) => html`<tr>
        <th scope="row">${d.decile}</th><td class="num">${d.minScore}–${d.maxScore}</td><td class="num">${count(d.accounts)}</td>
        <td class="num">${count(d.positives)}</td><td class="num">${percent(d.rate)}</td><td class="num">${d.lift.toFixed(2)}×</td>
      </tr>`)}</tbody>
    </table></div>
  </details>`;
}

function CalibrationTable({ calibration }) {
  return html`<div class="table-wrap"><table class="data models-table">
    <thead><tr><th>Band</th><th class="num">Accounts</th><th class="num">Churned</th><th class="num">Observed</th><th class="num">Mean risk</th></tr></thead>
    <tbody>${calibration.map((band) => html`<tr data-band=${band.band}>
      <th scope="row"><${Band} band=${band.band} /></th><td class="num">${count(band.accounts)}</td><td class="num">${count(band.churned)}</td>
      <td class="num">${percent(band.churnRate)}</td><td class="num">${band.meanChurnRisk === null ? '—' : band.meanChurnRisk.toFixed(1)}</td>
    </tr>`)}</tbody>
  </table></div>`;
}
