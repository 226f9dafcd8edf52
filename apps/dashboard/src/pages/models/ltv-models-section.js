import { html, useMemo } from '../../lib/html.js';
import { Chart } from '../../lib/chart.js';
import { Card, Empty, ErrorBox } from '../../lib/ui.js';
import { survivalOption } from './backtest-charts.js';
import { bgnbdInWords, count, gammaGammaInWords, logLik, param, percent, sbgInWords } from './model-params.js';
import { RunStatus } from './run-status.js';

const SURVIVAL_PERIODS = 12;

/** The fits of GET /v1/ltv/models?asOf=: sBG per segment, BG/NBD and Gamma-Gamma, each with its n and log-likelihood. */
export function LtvModelsSection({ state, asOf, axis }) {
  const { data, error, loading, startedAt } = state;
  return html`
    <section class="models-section" data-testid="ltv-models" aria-busy=${loading ? 'true' : 'false'}>
      <header class="models-section-head">
        <h2>Fitted LTV models</h2>
        <p class="models-meta">${data && !loading
          ? html`Fitted on the history as of <b>${data.asOf.slice(0, 10)}</b> (${data.axis} time) · log position ${count(data.position)} · fit <code title=${data.fitId}>${shortId(data.fitId)}</code>`
          : html`History as of <b>${asOf}</b> (${axis} time)`}</p>
      </header>
      ${loading && html`<${RunStatus} startedAt=${startedAt} text=${`Fitting the models on the history as of ${asOf}…`} />`}
      ${error && html`<${ErrorBox} error=${error} title="The models could not be fitted" />`}
      ${data && html`
        <div class=${`models-fits${loading ? ' is-stale' : ''}`}>
          <${SbgCard} sbg=${data.sbg} />
          <div class="grid grid-2">
            <${BgNbdCard} fit=${data.bgnbd} />
            <${GammaGammaCard} fit=${data.gammaGamma} />
          </div>
        </div>`}
    </section>`;
}

function SbgCard({ sbg }) {
  const survival = useMemo(() => survivalOption(sbg, SURVIVAL_PERIODS), [sbg]);
  if (sbg.length === 0) {
    return html`<${Card} title="sBG · contract renewals, per segment">
      <${Empty} text="Not enough data: no segment had a renewal decision by this date." />
    </${Card}>`;
  }
  return html`<${Card} title="sBG · contract renewals, per segment">
    <div class="sbg-layout">
      <div>
        <div class="table-wrap">
          <table class="data models-table">
            <thead><tr><th>Segment</th><th class="num">α</th><th class="num">β</th><th class="num">Churn / renewal</th><th class="num">n</th><th class="num">Log-lik.</th></tr></thead>
            <tbody>${sbg.map((fit) => html`
              <tr data-testid="sbg-row" data-segment=${fit.segment}>
                <th scope="row">${fit.segment}</th>
                <td class="num">${param(fit.alpha)}</td><td class="num">${param(fit.beta)}</td>
                <td class="num">${percent(fit.alpha / (fit.alpha + fit.beta))}</td>
                <td class="num">${count(fit.n)}</td><td class="num">${logLik(fit.logLikelihood)}</td>
              </tr>`)}
            </tbody>
          </table>
        </div>
        <ul class="models-words">${sbg.map((fit) => html`<li><b>${fit.segment}</b>: ${sbgInWords(fit, SURVIVAL_PERIODS)}</li>`)}</ul>
      </div>
      <figure class="models-figure">
        <${Chart} option=${survival} height=${260} testId="sbg-survival-chart" />
        <figcaption>Share of a new cohort still a customer after each renewal decision, S(t) = B(α, β+t) / B(α, β).</figcaption>
      </figure>
    </div>
  </${Card}>`;
}

function BgNbdCard({ fit }) {
  return html`<${Card} title="BG/NBD · purchases without a contract" testId="bgnbd-fit">
    ${fit
      ? html`<${Figures} items=${[['r', param(fit.r)], ['α', param(fit.alpha)], ['a', param(fit.a)], ['b', param(fit.b)], ['n', count(fit.n)], ['Log-lik.', logLik(fit.logLikelihood)]]} />
        <p class="models-words-p">${bgnbdInWords(fit)}</p>`
      : html`<${Empty} text="Not enough data: no purchase history identifies a fit by this date." />`}
  </${Card}>`;
}

function GammaGammaCard({ fit }) {
  return html`<${Card} title="Gamma-Gamma · spend per purchase" testId="gamma-gamma-fit">
    ${fit
      ? html`<${Figures} items=${[['p', param(fit.p)], ['q', param(fit.q)], ['v', param(fit.v)], ['n', count(fit.n)], ['Log-lik.', logLik(fit.logLikelihood)]]} />
        <p class="models-words-p">${gammaGammaInWords(fit)}</p>`
      : html`<${Empty} text="Not enough data: no repeat purchases to fit by this date." />`}
  </${Card}>`;
}

/** Parameters as label/value tiles: small enough to scan, the value in tabular figures. */
function Figures({ items }) {
  return html`<dl class="models-figures">${items.map(([label, value]) => html`
    <div><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

const shortId = (id) => (id && id.length > 12 ? `${id.slice(0, 12)}…` : id);
