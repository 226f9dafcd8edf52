import type { EventEnvelope } from '@ahe/event-store';
import { evolveHealthFacts, initialHealthFacts } from '../account-health/account-health.facts';
import { accountEnvelopes, opened, type HistoryEvent } from '../account-health/account-health.fixtures';
import { loadScoringRules } from '../scoring/scoring-rules.loader';
import { accountHealthAsOf, foldAccountAsOf } from './account-as-of';
import { snapshotFor, takeSnapshots, type AccountSnapshot } from './account-snapshots';
import type { AsOfInstant } from './as-of-filter';
import { BrokenStreamError } from './broken-stream.error';

const rules = loadScoringRules();
const HOUR = 3_600_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

/**
 * A stream recorded an hour apart, a fifth of its events back-dated by up to 30 days (never
 * before the opening), with complaints raised and resolved so that the order matters.
 */
function stream(accountId: string, length: number, seed: number): EventEnvelope[] {
  const next = random(seed);
  const events: HistoryEvent[] = [opened(iso(START))];
  const recorded: number[] = [START];
  for (let revision = 1; revision < length; revision++) {
    const recordedMs = START + revision * HOUR;
    const occurredMs = next() < 0.2 ? Math.max(START, recordedMs - Math.floor(next() * 30 * 24) * HOUR) : recordedMs;
    const occurredAt = iso(occurredMs);
    const kind = revision % 4;
    events.push(
      kind === 1 ? { type: 'ComplaintRaised', occurredAt, data: { complaintId: `c${revision}`, severity: 'medium', category: 'x', description: 'y', slaDueAt: iso(occurredMs + 72 * HOUR) } }
        : kind === 2 ? { type: 'ComplaintResolved', occurredAt, data: { complaintId: `c${revision - 1}`, resolution: 'done' } }
          : kind === 3 ? { type: 'SatisfactionRecorded', occurredAt, data: { kind: 'nps', score: Math.floor(next() * 11) } }
            : { type: 'ContactLogged', occurredAt, data: { channel: 'call', direction: 'inbound', summary: `call ${revision}` } },
    );
    recorded.push(recordedMs);
  }
  return accountEnvelopes(accountId, events).map((envelope, revision) => ({ ...envelope, recordedAt: iso(recorded[revision]!) }));
}

/** What the store's as-of read hands over, by its own comparison rather than countsAsOf. */
const storeRead = (envelopes: readonly EventEnvelope[], asOf: AsOfInstant, fromRevision = 0) =>
  envelopes.filter((e) => e.revision >= fromRevision && Date.parse(asOf.axis === 'occurred' ? e.occurredAt : e.recordedAt) <= asOf.at.getTime());

/**
 * The tail AccountAsOfReader hands over: after `from`, the events that count up to the last
 * snapshot (`checkedThrough`), every event past it.
 */
const readerTail = (envelopes: readonly EventEnvelope[], asOf: AsOfInstant, from: AccountSnapshot | undefined, checkedThrough: number) => [
  ...storeRead(envelopes, asOf, (from?.facts.revision ?? -1) + 1).filter((envelope) => envelope.revision <= checkedThrough),
  ...envelopes.filter((envelope) => envelope.revision > Math.max(checkedThrough, from?.facts.revision ?? -1)),
];

/** The from-scratch fold, written out: the events that count, in revision order, through evolveHealthFacts. */
const reference = (accountId: string, envelopes: readonly EventEnvelope[], asOf: AsOfInstant) =>
  storeRead(envelopes, asOf).reduce((facts, envelope) => evolveHealthFacts(facts, envelope), initialHealthFacts(accountId));

describe('an account folded as of an instant', () => {
  const accountId = 'asof';
  const envelopes = stream(accountId, 200, 7);
  const instants = Array.from({ length: 40 }, (_, index) => new Date(START + index * 5 * HOUR + 1_800_000));

  it('folds exactly the events at or before the instant on each axis, in revision order', () => {
    for (const at of instants) {
      for (const axis of ['occurred', 'recorded'] as const) {
        const folded = foldAccountAsOf(accountId, envelopes, { at, axis });
        expect(folded.facts).toEqual(reference(accountId, envelopes, { at, axis }));
        expect(folded.eventsFolded).toBe(storeRead(envelopes, { at, axis }).length);
      }
    }
  });

  it('answers the same from a snapshot and the tail after it, on both axes', () => {
    const snapshots = takeSnapshots(accountId, envelopes, 7);
    expect(snapshots.map((snapshot) => snapshot.facts.revision)).toEqual(Array.from({ length: 28 }, (_, index) => index * 7 + 6));
    let resumed = 0;
    for (const at of instants) {
      for (const axis of ['occurred', 'recorded'] as const) {
        const snapshot = snapshotFor(snapshots, { at, axis });
        if (snapshot) resumed++;
        const checkedThrough = snapshots.at(-1)!.facts.revision;
        const tail = readerTail(envelopes, { at, axis }, snapshot, checkedThrough);
        expect(foldAccountAsOf(accountId, tail, { at, axis }, snapshot, { checkedThrough, head: 199 })).toEqual(foldAccountAsOf(accountId, envelopes, { at, axis }));
      }
    }
    expect(resumed).toBeGreaterThan(instants.length);
  });

  it('keeps its snapshots right when a back-dated event is appended after them, which moves the occurred axis only', () => {
    const snapshots = takeSnapshots(accountId, envelopes, 10);
    const last = envelopes.at(-1)!;
    const lateAt = START + 100 * HOUR + 600_000;
    const [late] = accountEnvelopes(accountId, [{ type: 'ComplaintRaised', occurredAt: iso(lateAt), data: { complaintId: 'late', severity: 'high', category: 'x', description: 'y', slaDueAt: iso(lateAt + 24 * HOUR) } }]);
    const grown = [...envelopes, { ...late!, revision: last.revision + 1, globalPosition: last.globalPosition + 1, recordedAt: iso(Date.parse(last.recordedAt) + HOUR) }];
    const extended = [...snapshots, ...takeSnapshots(accountId, grown, 10, snapshots.at(-1))];
    for (const at of instants) {
      for (const axis of ['occurred', 'recorded'] as const) {
        const snapshot = snapshotFor(extended, { at, axis });
        const checkedThrough = extended.at(-1)!.facts.revision;
        const answer = foldAccountAsOf(accountId, readerTail(grown, { at, axis }, snapshot, checkedThrough), { at, axis }, snapshot, { checkedThrough });
        expect(answer).toEqual(foldAccountAsOf(accountId, grown, { at, axis }));
        const hasLate = 'late' in answer.facts.state.openComplaints;
        expect({ at, axis, hasLate }).toEqual({ at, axis, hasLate: axis === 'occurred' && at.getTime() >= lateAt });
      }
    }
  });

  it('refuses to resume from a snapshot holding events after the instant', () => {
    const [, second] = takeSnapshots(accountId, envelopes, 50);
    expect(() => foldAccountAsOf(accountId, [], { at: new Date(START), axis: 'recorded' }, second)).toThrow(RangeError);
  });

  it('reports a stream without its opening row, never opened, or with a revision missing as broken, naming the revision', () => {
    const at = { at: new Date(START + 200 * HOUR), axis: 'recorded' as const };
    const headless = envelopes.slice(1);
    expect(() => foldAccountAsOf(accountId, headless, at)).toThrow(new BrokenStreamError(envelopes[0]!.streamId, 0, 'revision 0 is missing'));
    expect(() => takeSnapshots(accountId, headless, 50)).toThrow(expect.objectContaining({ name: 'BrokenStreamError', revision: 0 }));
    const neverOpened = headless.map((envelope, revision) => ({ ...envelope, revision }));
    expect(() => foldAccountAsOf(accountId, neverOpened, at)).toThrow(new BrokenStreamError(envelopes[0]!.streamId, 0, `${envelopes[1]!.type} precedes any AccountOpened`));
    const gap = envelopes.filter((envelope) => envelope.revision !== 70);
    expect(() => takeSnapshots(accountId, gap, 50)).toThrow(expect.objectContaining({ name: 'BrokenStreamError', revision: 70 }));
  });

  it('refuses a tail missing a revision past the checked ones, or ending before the head, whether it counts at asOf or not', () => {
    const snapshots = takeSnapshots(accountId, envelopes, 60);
    const checkedThrough = snapshots.at(-1)!.facts.revision;
    expect(checkedThrough).toBe(179);
    const streamId = envelopes[0]!.streamId;
    for (const asOf of [{ at: new Date(START + 20 * HOUR), axis: 'recorded' as const }, { at: new Date(START + 500 * HOUR), axis: 'occurred' as const }]) {
      for (const missing of [1, 100, 185]) {
        const gap = envelopes.filter((envelope) => envelope.revision !== missing);
        expect(() => foldAccountAsOf(accountId, gap, asOf, undefined, { head: 199 })).toThrow(new BrokenStreamError(streamId, missing, `revision ${missing} is missing`));
      }
      const gap = envelopes.filter((envelope) => envelope.revision !== 185);
      const snapshot = snapshotFor(snapshots, asOf);
      expect(() => foldAccountAsOf(accountId, readerTail(gap, asOf, snapshot, checkedThrough), asOf, snapshot, { checkedThrough }))
        .toThrow(new BrokenStreamError(streamId, 185, 'revision 185 is missing'));
      expect(() => foldAccountAsOf(accountId, envelopes.slice(0, 197), asOf, undefined, { head: 199 }))
        .toThrow(new BrokenStreamError(streamId, 197, "revision 197 is missing: the log ends before it, though the stream's head is revision 199"));
      expect(() => foldAccountAsOf(accountId, [], asOf, undefined, { head: 0 })).toThrow(expect.objectContaining({ name: 'BrokenStreamError', revision: 0 }));
    }
    // Up to the checked revision the store's as-of filter leaves gaps that are no missing rows.
    const early = { at: new Date(START + 20 * HOUR), axis: 'recorded' as const };
    const thinned = readerTail(envelopes, early, undefined, checkedThrough);
    expect(thinned.length).toBe(21 + 20);
    expect(foldAccountAsOf(accountId, thinned, early, undefined, { checkedThrough, head: 199 })).toEqual(foldAccountAsOf(accountId, envelopes, early));
  });

  it('scores the folded account at the instant, with the fit it was given', () => {
    const at = new Date(START + 30 * HOUR);
    const health = accountHealthAsOf(foldAccountAsOf(accountId, envelopes, { at, axis: 'recorded' }), rules, null);
    expect(health).toMatchObject({ accountId, scoredAt: at.toISOString(), ltvFit: null, status: 'open' });
    expect(health.factors.reduce((sum, factor) => sum + factor.points, 0)).toBe(health.churnRisk);
  });
});
