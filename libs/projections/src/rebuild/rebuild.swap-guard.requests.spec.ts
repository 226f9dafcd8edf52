import type { EventEnvelope } from '@ahe/event-store';
import { BACKENDS, readCounts, toyProjection, typed, until } from '../testing/toy-projection.contract';
import { readGenerations } from '../generations/generation-rows';
import { FencedOutError } from '../runner/runner-errors';
import { rebuildHarness } from './rebuild-harness.contract';
import { requestRebuild, takeRebuildRequests } from './rebuild-requests';

const FAULTY_STREAM = 'account-3';

/**
 * Generation 2 of a toy: `parks(events)` says which of its batches throw (their events are then
 * applied one by one, and those that throw parked); the first batch of more than one event after
 * one that parked waits until `go()`, so that a rebuild can be requested while it is building.
 */
function pausedAfterParking(parks: (events: readonly EventEnvelope[]) => boolean) {
  let parked = false;
  let paused!: () => void;
  let go!: () => void;
  const waiting = new Promise<void>((resolve) => (paused = resolve));
  const released = new Promise<void>((resolve) => (go = resolve));
  const beforeApply = async (events: readonly EventEnvelope[], physical: string) => {
    if (!physical.endsWith('__g2')) return;
    if (parked && events.length > 1) {
      paused();
      await released;
    }
    if (parks(events)) {
      parked = true;
      throw new Error(`check constraint violated in ${physical}`);
    }
  };
  return { beforeApply, waiting, go };
}

describe.each(BACKENDS)('rebuild requests and the swap guard on $label', (backend) => {
  const harness = rebuildHarness(backend);
  const { engineFor, expected, statusOf } = harness;
  const tableExists = async (table: string) =>
    (await harness.sql.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]!.found;

  it('starts a new generation rather than join one that parked events the serving one applied', async () => {
    const generation2 = pausedAfterParking((events) => events.some((event) => event.streamId === FAULTY_STREAM));
    const toy = toyProjection({ name: 'doomed', table: 'doomed_counts', beforeApply: generation2.beforeApply });
    const warnings: string[] = [];
    const logger = { log: () => undefined, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
    const engine = engineFor([toy], { rebuildBatchSize: 5, logger });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);

    const first = engine.rebuild('doomed');
    first.catch(() => undefined);
    try {
      await generation2.waiting;
      const second = engine.rebuild('doomed');
      generation2.go();
      await second;
    } finally {
      generation2.go();
    }
    await first;
    expect(await statusOf(toy)).toMatchObject({ generation: 3, status: 'live', rebuild: null, parked: { count: 0 } });
    expect(await readCounts(harness.sql, 'doomed_counts')).toEqual(expected());
    await until(async () => !(await tableExists('doomed_counts__g2')), 5_000, 'replaced generation 2 dropped');
    // Its runner stopped before the retirement could fence it out: the projection was never let go.
    expect(warnings.filter((message) => /no longer run here/.test(message))).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/generation 2 parked events that generation 1 applied.*replaced by generation 3/));
  });

  it('joins a building generation whose parked events the serving one parked too', async () => {
    const generation2 = pausedAfterParking((events) => events.some((event) => event.type === 'Poison'));
    const toy = toyProjection({ name: 'joined', table: 'joined_counts', poison: 'Poison', beforeApply: generation2.beforeApply });
    const engine = engineFor([toy], { rebuildBatchSize: 5 });
    await engine.start();
    await harness.store.append('poisoned-0', [typed('Poison')]);
    for (let i = 0; i < 30; i++) await harness.append(`account-${i % 7}`);
    await engine.waitUntilCaughtUp(10_000);
    expect((await statusOf(toy)).parked.count).toBe(1);

    const first = engine.rebuild('joined');
    first.catch(() => undefined);
    try {
      await generation2.waiting;
      const second = engine.rebuild('joined');
      generation2.go();
      await second;
    } finally {
      generation2.go();
    }
    await first;
    expect(await statusOf(toy)).toMatchObject({ generation: 2, rebuild: null, parked: { count: 1 } });
  });

  it('refuses to answer for a process that no longer owns the projection: its new owner does', async () => {
    const toy = toyProjection({ name: 'owned', table: 'owned_counts' });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    await engine.stop();
    await requestRebuild(harness.sql, 'owned');

    const answered = takeRebuildRequests(harness.sql, toy, { owner: 'a process that lost it', ownerToken: 'not-the-owners' });
    await expect(answered).rejects.toBeInstanceOf(FencedOutError);
    expect((await readGenerations(harness.sql, ['owned'])).map((row) => [row.generation, row.status])).toEqual([[1, 'serving']]);
  });
});
