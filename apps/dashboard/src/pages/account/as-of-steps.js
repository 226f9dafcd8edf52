// The instants the as-of slider stops at, from the account's first event to now on one axis:
// a stop per UTC day when the account spans days, else a stop per event (an account imported a
// minute ago has all its recordedAt within that minute). The last stop is "now": the live row.
import { date, dateTime } from '../../lib/format.js';
import { DAY_MS } from './account-labels.js';

const PER_DAY_FROM_MS = 2 * DAY_MS;

export const instantOn = (event, axis) => (axis === 'recorded' ? event.recordedAt : event.occurredAt);

/** `{ unit, steps: [{ at, label }] }`; `at` is an ISO instant, null for the live "now" stop. */
export function asOfSteps(events, axis, now = Date.now()) {
  const instants = events.map((event) => Date.parse(instantOn(event, axis))).filter((ms) => ms <= now);
  if (instants.length === 0) return { unit: 'event', steps: [NOW_STEP] };
  const first = Math.min(...instants);
  if (now - first >= PER_DAY_FROM_MS) return { unit: 'day', steps: [...daySteps(first, now), NOW_STEP] };
  const distinct = [...new Set(instants)].sort((a, b) => a - b);
  return { unit: 'event', steps: [...distinct.map((ms) => ({ at: new Date(ms).toISOString(), label: dateTime(new Date(ms).toISOString()) })), NOW_STEP] };
}

const NOW_STEP = { at: null, label: 'Now (live)' };

/** The end of each UTC day from the first instant's day to yesterday: "as it stood that evening". */
function daySteps(firstMs, now) {
  const steps = [];
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  for (let dayStart = Date.parse(`${new Date(firstMs).toISOString().slice(0, 10)}T00:00:00Z`); dayStart < today; dayStart += DAY_MS) {
    const at = new Date(dayStart + DAY_MS - 1).toISOString();
    steps.push({ at, label: date(at) });
  }
  return steps;
}

/** The first stop at or after `iso` (an event's instant, a linked asOf); the last stop when none. */
export function stepIndexAtOrAfter(steps, iso) {
  if (!iso) return steps.length - 1;
  const target = Date.parse(iso);
  if (Number.isNaN(target)) return steps.length - 1;
  const index = steps.findIndex((step) => step.at !== null && Date.parse(step.at) >= target);
  return index === -1 ? steps.length - 1 : index;
}

/** Whether `event` had happened (or been recorded) by the stop: the events the as-of row folds. */
export function countsAt(event, axis, at) {
  return at === null || Date.parse(instantOn(event, axis)) <= Date.parse(at);
}
