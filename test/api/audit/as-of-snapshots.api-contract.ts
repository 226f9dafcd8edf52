import { accountStreamId } from '@ahe/domain';
import { evolveHealthFacts, foldAccountAsOf, initialHealthFacts, loadScoringRules, type AccountHealthFacts } from '@ahe/read-models';
import { AccountAsOfReader } from '../../../apps/api/src/audit/as-of/account-as-of.reader';
import { AccountSnapshotCache } from '../../../apps/api/src/audit/as-of/account-snapshots.cache';
import { LtvModelsAsOfCache } from '../../../apps/api/src/audit/as-of/ltv-models-as-of.cache';
import type { RunningApi } from '../api-harness';
import { appendLongStream } from './as-of-long-stream.api-contract';

/** A small policy, so that a stream of a few thousand events is thinned and extended. */
const POLICY = { every: 100, minEvents: 200, maxPerStream: 6, streamsKept: 2, totalKept: 12 };

/** The snapshot cache against the real store, with a policy small enough to exercise its thinning. */
export function describeSnapshotPolicy(api: () => RunningApi): void {
  const accountId = `snap-${Date.now().toString(36)}`;
  const streamId = accountStreamId(accountId);
  const prefixFold = (events: Awaited<ReturnType<RunningApi['store']['readStream']>>, revision: number): AccountHealthFacts =>
    events.slice(0, revision + 1).reduce((facts, envelope) => evolveHealthFacts(facts, envelope), initialHealthFacts(accountId));

  it('keeps at most maxPerStream snapshots, each the fold of every event up to it, and extends them as the stream grows', async () => {
    await appendLongStream(api().store, accountId, 2_450);
    const cache = new AccountSnapshotCache(api().store, POLICY);
    const first = await cache.snapshotsOf(accountId, streamId, 2_449);
    const revisions = first.map((snapshot) => snapshot.facts.revision);
    expect(first.length).toBeLessThanOrEqual(POLICY.maxPerStream);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(revisions.at(-1)).toBe(2_399);
    const everything = await api().store.readStream(streamId);
    for (const snapshot of [first[0]!, first.at(-1)!]) expect(snapshot.facts).toEqual(prefixFold(everything, snapshot.facts.revision));
    expect(await cache.snapshotsOf(accountId, streamId, 2_449)).toBe(first);
    expect(await cache.snapshotsOf(`short-${accountId}`, 'account-short', 150)).toEqual([]);

    await api().store.append(streamId, Array.from({ length: 500 }, (_, index) => ({
      type: 'ContactLogged', schemaVersion: 1, occurredAt: new Date(Date.UTC(2025, 0, 2) + index * 60_000),
      data: { channel: 'chat', direction: 'inbound', summary: `late ${index}` },
    })), 2_449);
    const grown = await cache.snapshotsOf(accountId, streamId, 2_949);
    expect(grown.length).toBeLessThanOrEqual(POLICY.maxPerStream);
    // Six kept of 24 taken: the spacing doubled twice, to 400, and the next one is 400 revisions on.
    expect(grown.at(-1)!.facts.revision).toBe(2_799);
    const after = await api().store.readStream(streamId);
    expect(grown.at(-1)!.facts).toEqual(prefixFold(after, grown.at(-1)!.facts.revision));

    // The 500 contacts are back-dated to January: snapshots after them serve no instant before March.
    const reader = new AccountAsOfReader(api().store, loadScoringRules(), new LtvModelsAsOfCache(api().store), cache);
    for (const at of ['2025-01-02T03:00:00Z', '2025-02-15T00:00:00Z', '2025-03-20T00:00:00Z', new Date().toISOString()]) {
      for (const axis of ['occurred', 'recorded'] as const) {
        const asOf = { at: new Date(at), axis };
        const scratch = foldAccountAsOf(accountId, after, asOf);
        if (!scratch.facts.state.exists) continue;
        const answer = await reader.account(accountId, asOf);
        expect({ at, axis, eventsFolded: answer.eventsFolded, revision: answer.facts.revision }).toEqual({ at, axis, eventsFolded: scratch.eventsFolded, revision: scratch.facts.revision });
        expect(answer.facts).toEqual(scratch.facts);
      }
    }
  });
}
