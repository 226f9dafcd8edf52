// For auditors: the account's log, the scorecard replayed at any instant on either time axis,
// and the hash chain's verification. Keys without the auditor role see why it is locked.
import { html, useEffect, useMemo, useState } from '../../lib/html.js';
import { apiGet, useApi } from '../../lib/api.js';
import { hrefOf } from '../../lib/router.js';
import { Card, ErrorBox, Spinner } from '../../lib/ui.js';
import { asOfSteps, instantOn, stepIndexAtOrAfter } from './as-of-steps.js';
import { AsOfScorecard } from './as-of-scorecard.js';
import { EventTimeline } from './event-timeline.js';
import { ChainStatus } from './chain-status.js';
import { RoleNote } from './role-note.js';

const EVENTS_PAGE = 200;
const AXES = ['occurred', 'recorded'];

function useEventLog(accountId) {
  const path = `/v1/accounts/${encodeURIComponent(accountId)}/events`;
  const first = useApi(path, { limit: EVENTS_PAGE });
  const [more, setMore] = useState({ items: [], nextRevision: undefined, loading: false, error: null });
  const events = useMemo(() => [...(first.data?.items ?? []), ...more.items], [first.data, more.items]);
  const nextRevision = more.nextRevision !== undefined ? more.nextRevision : first.data?.nextRevision ?? null;
  const loadMore = async () => {
    setMore((current) => ({ ...current, loading: true, error: null }));
    try {
      const page = await apiGet(path, { fromRevision: nextRevision, limit: EVENTS_PAGE });
      setMore((current) => ({ items: [...current.items, ...page.items], nextRevision: page.nextRevision, loading: false, error: null }));
    } catch (error) {
      setMore((current) => ({ ...current, loading: false, error }));
    }
  };
  return { events, nextRevision, loadMore, loading: first.loading, loadingMore: more.loading, error: first.error ?? more.error };
}

export function AuditSection({ accountId, row, query }) {
  const verify = useApi(`/v1/accounts/${encodeURIComponent(accountId)}/verify`, undefined, [row.position]);
  const log = useEventLog(accountId);
  const denied = verify.error?.status === 403;
  const auditor = Boolean(verify.data);

  const [axis, setAxis] = useState(AXES.includes(query.axis) ? query.axis : 'occurred');
  const { unit, steps } = useMemo(() => asOfSteps(log.events, axis), [log.events, axis]);
  const [picked, setPicked] = useState(null);
  const index = picked === null ? stepIndexAtOrAfter(steps, query.asOf) : Math.min(picked, steps.length - 1);
  const step = steps[index];

  useLinkedInstant(accountId, query, step.at, axis, auditor);

  const changeAxis = (next) => {
    setPicked(stepIndexAtOrAfter(asOfSteps(log.events, next).steps, step.at));
    setAxis(next);
  };
  const pickEvent = (event) => setPicked(stepIndexAtOrAfter(steps, instantOn(event, axis)));
  const onSlide = (event) => setPicked(Number(event.currentTarget.value));

  return html`
    <${Card} title="Audit: the account as it was" testId="audit-section" class=${`span-2 audit-card ${denied ? 'is-locked' : ''}`}
      actions=${html`<${ChainStatus} verify=${verify} />`}>
      ${denied && html`<${RoleNote} role="auditor" what="replay the account at an instant (the as-of slider) and verify its hash chain" error=${verify.error} testId="audit-role-note" />`}
      <div class="asof-toolbar">
        <label class="inline-field">Time axis
          <select data-testid="asof-axis" value=${axis} disabled=${!auditor} onChange=${(event) => changeAxis(event.currentTarget.value)}
            title="occurred: when it happened in the business; recorded: when the store accepted it">
            ${AXES.map((value) => html`<option value=${value}>${value}</option>`)}
          </select>
        </label>
        <div class="asof-range">
          <input type="range" data-testid="asof-slider" min="0" max=${steps.length - 1} step="1" value=${index} data-asof=${step.at ?? 'now'}
            disabled=${!auditor || steps.length < 2} aria-label="As of" aria-valuetext=${step.label} onInput=${onSlide} onChange=${onSlide} />
          <div class="asof-ends"><span>${steps[0].label}</span><span>${unit === 'day' ? 'a stop per day' : 'a stop per event'} · ${steps.length} stops</span><span>now</span></div>
        </div>
        <div class="asof-label-box">
          <span class="kpi-caption">As of (${axis})</span>
          <strong data-testid="asof-label" data-at=${step.at ?? 'now'}>${step.label}</strong>
          ${step.at !== null && html`<button type="button" class="button link" onClick=${() => setPicked(steps.length - 1)}>back to now</button>`}
        </div>
      </div>
      <div class="audit-body">
        ${denied
          ? html`<div class="asof-card asof-empty">Replaying the scorecard at an instant is an audit read.</div>`
          : html`<${AsOfScorecard} accountId=${accountId} at=${step.at} axis=${axis} live=${row} enabled=${auditor} />`}
        <div class="audit-log">
          <h3 class="audit-log-title">Event log <span class="kpi-caption">${log.events.length} event${log.events.length === 1 ? '' : 's'}${log.nextRevision !== null ? ' loaded' : ''}, revision order</span></h3>
          ${log.loading && log.events.length === 0 && html`<${Spinner} label="Loading events…" />`}
          ${log.error && (log.error.status === 403
            ? html`<${RoleNote} role="auditor" what="read the event log" error=${log.error} />`
            : html`<${ErrorBox} error=${log.error} title="Could not load the events" />`)}
          ${log.events.length > 0 && html`
            <${EventTimeline} events=${log.events} axis=${axis} at=${auditor ? step.at : null} currency=${row.ltv.currency}
              onPick=${auditor ? pickEvent : undefined} hasMore=${log.nextRevision !== null} onMore=${log.loadMore} loadingMore=${log.loadingMore} />`}
        </div>
      </div>
    <//>`;
}

/** Keeps `asOf`/`axis` in the address so a replayed view can be linked; no navigation, no history entry. */
function useLinkedInstant(accountId, query, at, axis, enabled) {
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = setTimeout(() => {
      const { asOf: _asOf, axis: _axis, ...rest } = query;
      const target = hrefOf(`/accounts/${encodeURIComponent(accountId)}`, at === null ? rest : { ...rest, asOf: at, axis });
      if (target !== window.location.hash) window.history.replaceState(null, '', target);
    }, 400);
    return () => clearTimeout(timer);
  }, [accountId, at, axis, enabled]);
}
