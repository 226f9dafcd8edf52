// The account's log as recorded: one row per event in revision order, with both instants and
// the hash that chains it to the one before. Rows the as-of instant does not count are dimmed.
import { html, useEffect, useRef } from '../../lib/html.js';
import { dateTime, money } from '../../lib/format.js';
import { countsAt } from './as-of-steps.js';

const MONEY_FIELDS = new Set(['amount', 'annualValue']);
const SUMMARY_LIMIT = 90;

export function EventTimeline({ events, axis, at, currency, onPick, hasMore, onMore, loadingMore }) {
  const wrap = useRef(null);
  useScrollToLastCounted(wrap, at, axis);
  return html`
    <div class="timeline-wrap table-wrap" ref=${wrap}>
      <table class="data timeline" data-testid="event-timeline">
        <thead>
          <tr><th class="num">Rev</th><th>Type</th><th>Occurred</th><th>Recorded</th><th>Details</th><th>Hash</th>${onPick && html`<th></th>`}</tr>
        </thead>
        <tbody>
          ${events.map((event) => {
            const counted = countsAt(event, axis, at);
            return html`
              <tr data-testid="timeline-event" data-revision=${event.revision} data-type=${event.type} data-counted=${counted}
                class=${counted ? '' : 'not-counted'}>
                <td class="num">${event.revision}</td>
                <td class="timeline-type">${event.type}</td>
                <td title=${event.occurredAt}>${dateTime(event.occurredAt)}</td>
                <td title=${event.recordedAt}>${dateTime(event.recordedAt)}</td>
                <td class="timeline-summary" title=${JSON.stringify(event.data)}>${summaryOf(event.data, currency)}</td>
                <td><code class="timeline-hash" title=${`hash ${event.metadata?.hash}\nprevious ${event.metadata?.previousHash}`}>${event.metadata?.hash?.slice(0, 10) ?? '—'}</code></td>
                ${onPick && html`<td><button type="button" class="button link" title="Move the as-of slider to this event" onClick=${() => onPick(event)}>as of</button></td>`}
              </tr>`;
          })}
        </tbody>
      </table>
      ${hasMore && html`
        <button type="button" class="button timeline-more" data-testid="timeline-more" onClick=${onMore} disabled=${loadingMore}>
          ${loadingMore ? 'Loading…' : 'Load more events'}
        </button>`}
    </div>`;
}

/** Brings the last event the instant counts into the middle of the log's own scroll box (not the page's). */
function useScrollToLastCounted(wrap, at, axis) {
  useEffect(() => {
    const box = wrap.current;
    if (!box || at === null) return;
    const counted = box.querySelectorAll('[data-counted="true"]');
    const last = counted[counted.length - 1];
    if (last) box.scrollTop = Math.max(0, last.offsetTop - box.clientHeight / 2);
  }, [at, axis]);
}

/** `field: value` pairs of the payload, money in the account's currency, cut to one line. */
function summaryOf(data, currency) {
  if (!data || typeof data !== 'object') return '';
  const parts = Object.entries(data).map(([field, value]) => {
    if (MONEY_FIELDS.has(field) && typeof value === 'number') return `${field}: ${money(value, currency)}`;
    if (value && typeof value === 'object') return `${field}: {…}`;
    return `${field}: ${value}`;
  });
  const text = parts.join(' · ');
  return text.length > SUMMARY_LIMIT ? `${text.slice(0, SUMMARY_LIMIT - 1)}…` : text;
}
