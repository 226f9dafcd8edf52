import type { SqlClient, SqlTransaction } from '@ahe/database';
import { eventStoreOn } from '@ahe/event-store';
import type { ProjectionMetrics } from '../index';
import { engineHarness } from '../testing/engine-harness.contract';
import { BACKENDS, contact, readCounts, toyProjection, typed, until } from '../testing/toy-projection.contract';

describe.each(BACKENDS)('projection engine failures on $label', (backend) => {
  const harness = engineHarness(backend);
  const { log, engineFor, append, expected, statusOf } = harness;

  it('leaves no trace of a batch whose transaction fails, and applies it once when retried', async () => {
    let failing = true;
    let failures = 0;
    const outage = Object.assign(new Error('could not serialize access'), { code: '40001' });
    const toy = toyProjection({
      name: 'flaky', table: 'flaky_counts',
      afterApply: async () => {
        if (!failing) return;
        failures++;
        throw outage;
      },
    });
    const engine = engineFor([toy]);
    await engine.start();
    await until(() => failures >= 2, 10_000, 'two failed attempts');
    expect(await readCounts(harness.sql, 'flaky_counts')).toEqual([]);
    expect((await statusOf(toy)).parked.count).toBe(0);
    failing = false;
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'flaky_counts')).toEqual(expected());
    expect((await statusOf(toy)).eventsProcessed).toBe(log.length);
  });

  // The server ends a batch's connection while it idles in its transaction (as when the event loop
  // was blocked past idle_in_transaction_session_timeout): the batch fails, is retried, nothing is parked.
  (backend.label === 'PostgreSQL' ? it : it.skip)('retries a batch whose connection the idle-in-transaction timeout ended, and the process survives', async () => {
    let timedOut = 0;
    const toy = toyProjection({
      name: 'idle', table: 'idle_counts',
      afterApply: async (_events, _physical, tx) => {
        if (timedOut >= 2) return;
        timedOut++;
        await tx.query(`SET LOCAL idle_in_transaction_session_timeout = '20ms'`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
    });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(20_000);
    expect(timedOut).toBe(2);
    expect(await readCounts(harness.sql, 'idle_counts')).toEqual(expected());
    expect((await statusOf(toy)).parked.count).toBe(0);
  });

  it('parks an event it cannot apply, with its error, undoes its writes and applies the rest', async () => {
    await append('poisoned', [contact(), typed('Poison'), contact()]);
    const toy = toyProjection({ name: 'parking', table: 'parking_counts', poison: 'Poison' });
    const parked: string[] = [];
    const metrics: ProjectionMetrics = { batchApplied: () => undefined, eventParked: (sample) => parked.push(sample.type), lag: () => undefined };
    const engine = engineFor([toy], { metrics });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'parking_counts')).toEqual(expected('Poison'));
    expect(parked).toEqual(['Poison']);
    const status = await statusOf(toy);
    const poison = (await harness.store.readStream('poisoned'))[1]!;
    expect(status.status).toBe('live');
    expect(status.parked).toEqual({
      count: 1,
      events: [{ eventId: poison.eventId, globalPosition: poison.globalPosition, streamId: 'poisoned', revision: 1, type: 'Poison', error: 'cannot apply Poison at poisoned@1', parkedAt: expect.any(String) }],
    });
    expect(status.eventsProcessed).toBe(log.length);
  });

  it('reports failed, with the error, while the log cannot be read past an event, and recovers when it can', async () => {
    let unreadable = true;
    const picky = await eventStoreOn(harness.sql, {
      upcast: (event) => {
        if (unreadable && event.type === 'Unreadable') throw new Error('no upcaster for Unreadable v1');
        return event;
      },
    });
    await append('odd', [typed('Unreadable')]);
    const toy = toyProjection({ name: 'picky', table: 'picky_counts' });
    const engine = engineFor([toy], { store: picky });
    await engine.start();
    await until(async () => (await statusOf(toy)).status === 'failed', 10_000, 'failed status');
    expect((await statusOf(toy)).lastError).toMatch(/Unreadable/);
    unreadable = false;
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'picky_counts')).toEqual(expected());
    expect(await statusOf(toy)).toMatchObject({ status: 'live', lastError: null });
  });

  it('records a read failure after the batch read before it is written, which therefore does not clear it', async () => {
    let readFailed = false;
    const picky = await eventStoreOn(harness.sql, {
      upcast: (event) => {
        if (event.type !== 'Undecodable') return event;
        readFailed = true;
        throw new Error('no upcaster for Undecodable v1');
      },
    });
    // Holds every transaction the engine begins (its batches', its heartbeat's rebuild check) before BEGIN while `held` is set.
    let held: Promise<void> | undefined;
    let release!: () => void;
    const slowToBegin: SqlClient = Object.assign(Object.create(harness.sql) as SqlClient, {
      transaction: async <T>(work: (tx: SqlTransaction) => Promise<T>) => (await held, harness.sql.transaction(work)),
    });
    const toy = toyProjection({ name: 'held', table: 'held_counts' });
    const engine = engineFor([toy], { store: picky, sql: slowToBegin, batchSize: 1 });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    held = new Promise<void>((resolve) => (release = resolve));
    try {
      await append('held', [typed('Held')]);
      await append('undecodable', [typed('Undecodable')]);
      await until(async () => readFailed, 10_000, 'the undecodable event read');
      // Time enough for a failure recorded at once to show.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await statusOf(toy)).toMatchObject({ lastError: null });
    } finally {
      release();
    }
    await until(async () => (await statusOf(toy)).status === 'failed', 10_000, 'failed status');
    expect((await statusOf(toy)).lastError).toMatch(/Undecodable/);
    expect((await readCounts(harness.sql, 'held_counts')).map((row) => row.stream_id)).toContain('held');
  });
});
