import { html, useEffect, useMemo, useState } from '../../lib/html.js';
import { BacktestSection } from './backtest-section.js';
import { LtvModelsSection } from './ltv-models-section.js';
import { AXES, HORIZONS, latestAsOfDate, modelsHash, modelsParams } from './model-params.js';
import { useAnalytics } from './use-analytics.js';

/**
 * The Models page: the LTV fits and the churn-score backtest for an as-of date and horizon.
 * The applied state lives in the hash (#/models?asOf=&horizonDays=&axis=) so a result can be linked;
 * the form holds edits until "Run backtest". Both answers replay the whole log (seconds), so they
 * are asked for on opening and on a run, never on a timer.
 */
export default function ModelsPage({ query = {} }) {
  const applied = useMemo(() => modelsParams(query), [query.asOf, query.horizonDays, query.axis]);
  const [form, setForm] = useState(applied);
  const [runs, setRuns] = useState(0);
  useEffect(() => setForm(applied), [applied]);

  const ltv = useAnalytics('/v1/ltv/models', { asOf: applied.asOf, axis: applied.axis }, `${applied.asOf}|${applied.axis}`);
  const backtest = useAnalytics('/v1/analytics/backtest', applied, `${applied.asOf}|${applied.horizonDays}|${applied.axis}|${runs}`);

  const run = () => {
    // Unchanged parameters fetch nothing new by themselves: run the backtest again (the fits only change with the date or axis).
    if (modelsHash(form) === modelsHash(applied)) setRuns((n) => n + 1);
    // The hash takes the state either way, so a page opened without parameters becomes linkable too.
    if (window.location.hash !== modelsHash(form)) window.location.hash = modelsHash(form);
  };

  return html`
    <div class="page models-page" data-testid="models-page">
      <header class="page-header">
        <div>
          <h1 class="page-title">Models</h1>
          <p class="page-subtitle">How well the churn-risk score foretold the churn that followed, and the LTV models fitted on the history, as of a past date.</p>
        </div>
      </header>
      <${ModelsControls} form=${form} setForm=${setForm} running=${backtest.loading} onRun=${run} />
      <${BacktestSection} state=${backtest} params=${applied} />
      <${LtvModelsSection} state=${ltv} asOf=${applied.asOf} axis=${applied.axis} />
    </div>`;
}

function ModelsControls({ form, setForm, running, onRun }) {
  const latest = latestAsOfDate(form.horizonDays);
  const tooLate = form.asOf > latest;
  const [problem, setProblem] = useState(null);

  const changeHorizon = (event) => {
    const horizonDays = Number(event.target.value);
    // A date left at the old horizon's default follows the new one; a date the analyst chose stays.
    const asOf = form.asOf === latestAsOfDate(form.horizonDays) ? latestAsOfDate(horizonDays) : form.asOf;
    setForm({ ...form, horizonDays, asOf });
  };
  const submit = (event) => {
    event.preventDefault();
    if (!form.asOf) return setProblem('Pick an as-of date.');
    setProblem(null);
    return onRun();
  };

  return html`
    <form class="card models-controls" onSubmit=${submit} noValidate>
      <label class="field models-field">
        <span>As of</span>
        <input type="date" data-testid="asof-date" value=${form.asOf} max=${latest}
          onInput=${(event) => setForm({ ...form, asOf: event.target.value })} />
      </label>
      <label class="field models-field">
        <span>Horizon</span>
        <select data-testid="horizon-days" value=${String(form.horizonDays)} onChange=${changeHorizon}>
          ${horizonChoices(form.horizonDays).map((days) => html`<option value=${String(days)}>${days} days</option>`)}
        </select>
      </label>
      <label class="field models-field">
        <span>Time axis</span>
        <select data-testid="models-axis" value=${form.axis} onChange=${(event) => setForm({ ...form, axis: event.target.value })}>
          ${AXES.map((axis) => html`<option value=${axis}>${axis === 'occurred' ? 'Occurred (as the world was)' : 'Recorded (as the engine knew it)'}</option>`)}
        </select>
      </label>
      <button type="submit" class="button primary models-run" data-testid="run-backtest" disabled=${running} aria-busy=${running ? 'true' : 'false'}>
        ${running ? 'Running…' : 'Run backtest'}
      </button>
      <p class=${`models-hint${tooLate || problem ? ' is-warning' : ''}`}>
        ${problem ?? (tooLate
          ? `${form.asOf} + ${form.horizonDays} days ends after today: churn within the horizon is not known yet. Latest as-of date: ${latest}.`
          : `Latest as-of date for a ${form.horizonDays}-day horizon: ${latest}. Both answers replay the whole event log and can take a few seconds.`)}
      </p>
    </form>`;
}

/** The usual horizons, plus a linked one that is not among them so the select can show it. */
const horizonChoices = (current) => (HORIZONS.includes(current) ? HORIZONS : [...HORIZONS, current].sort((a, b) => a - b));
