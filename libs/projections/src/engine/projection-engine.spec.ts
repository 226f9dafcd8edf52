import type { SqlClient, SqlTransaction } from '@ahe/database';
import { eventStoreOn, formatCheckpoint, START, type EventStore, type NewEvent } from '@ahe/event-store';
import { readProjectionStatuses, type ProjectionDefinition, type ProjectionMetrics } from '../index';
import { BACKENDS, contact, readCounts, toyProjection, typed, until, type StreamCount } from '../testing/toy-projection.contract';
import { ProjectionEngine } from './projection-engine';

describe.each(BACKENDS)('projection engine on $label', (backend) => {
  let env: Awaited<ReturnType<typeof backend.open>>;
  let sql: SqlClient;
  let store: EventStore;
  const engines: ProjectionEngine[] = [];
  /** Every event appended in this describe, in order: each toy reads the whole log. */
  const log: Array<{ streamId: string; type: string; revision: number }> = [];

  const engineFor = (definitions: ProjectionDefinition[], options: Partial<ConstructorParameters<typeof ProjectionEngine>[0]> = {}) => {
    // A long idle wait: only a commit's wake-up can deliver a new event quickly.
    const engine = new ProjectionEngine({ sql, store, definitions, batchSize: 10, lockRetryMs: 200, maxIdleMs: 60_000, ...options });
    engines.push(engine);
    return engine;
  };
  const append = async (streamId: string, events: NewEvent[]) => {
    const result = await store.append(streamId, events);
    events.forEach((event, index) => log.push({ streamId, type: event.type, revision: result.firstRevision + index }));
  };
  const appendMany = async (prefix: string, streams: number, perStream: number) => {
    for (let round = 0; round < perStream; round++) for (let s = 0; s < streams; s++) await append(`${prefix}-${s}`, [contact(`${round}`)]);
  };
  /** The toy's rows for the whole log so far, events of type `poison` left out. */
  const expected = (poison?: string): StreamCount[] => {
    const byStream = new Map<string, { events: number; last: number }>();
    for (const event of log) {
      if (event.type === poison) continue;
      const entry = byStream.get(event.streamId) ?? { events: 0, last: -1 };
      byStream.set(event.streamId, { events: entry.events + 1, last: Math.max(entry.last, event.revision) });
    }
    return [...byStream.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream_id, { events, last }]) => ({ stream_id, events, last_revision: last }));
  };
  /** Records the checkpoint each store subscription starts from, until restore(). */
  const recordSubscriptions = () => {
    const froms: string[] = [];
    const subscribe = store.subscribe.bind(store);
    store.subscribe = (handler, options) => (froms.push(formatCheckpoint(options?.from ?? START)), subscribe(handler, options));
    return { froms, restore: () => void (store.subscribe = subscribe) };
  };
  const statusOf = async (definition: ProjectionDefinition) =>
    (await readProjectionStatuses(sql, { definitions: [definition], store, now: new Date(), lockRetryMs: 200, batchSize: 10 }))[0]!;

  beforeAll(async () => {
    env = await backend.open();
    ({ sql, store } = env);
    await appendMany('seed', 3, 8);
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });
  afterAll(() => env.dispose());

  it('applies the log in batches, committing the checkpoint with the rows', async () => {
    const toy = toyProjection({ name: 'basic', table: 'basic_counts' });
    const batches: number[] = [];
    const metrics: ProjectionMetrics = { batchApplied: (sample) => batches.push(sample.events), eventParked: () => undefined, lag: () => undefined };
    const engine = engineFor([toy], { metrics });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(sql, 'basic_counts')).toEqual(expected());
    expect(Math.max(...batches)).toBe(10);
    expect(batches.reduce((sum, events) => sum + events, 0)).toBe(log.length);
    const head = await store.readAll({ limit: 10_000 });
    const status = await statusOf(toy);
    expect(status).toMatchObject({
      name: 'basic', version: 'v1', servingVersion: 'v1', generation: 1, status: 'live',
      checkpoint: formatCheckpoint(head.checkpoint), position: head.events[head.events.length - 1]!.globalPosition,
      eventsProcessed: log.length, lag: { events: 0, seconds: 0 }, parked: { count: 0, events: [] }, rebuild: null, lastError: null,
    });
    expect(status.owner).toMatch(/:\d+$/);
    expect(status.eventsPerSecond).toBeGreaterThan(0);
  });

  it('analyzes the tables of a generation that caught up from far enough behind, or was rebuilt, and not one that did not', async () => {
    // reltuples is -1 until a table is first analyzed (or vacuumed).
    const reltuples = async (table: string) => Number((await sql.query<{ reltuples: number }>('SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)', [table])).rows[0]!.reltuples);
    const analyzed = toyProjection({ name: 'analyzed', table: 'analyzed_counts' });
    const engine = engineFor([analyzed], { analyzeAfterEvents: log.length });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    await until(async () => (await reltuples('analyzed_counts__g1')) >= 0, 10_000, 'the caught-up generation analyzed');
    expect(await reltuples('analyzed_counts__g1')).toBe(expected().length);
    // A rebuilt generation is analyzed before it swaps in: statistics from its first query on.
    await engine.rebuild('analyzed');
    expect(await reltuples('analyzed_counts__g2')).toBe(expected().length);
    await engine.stop();

    const skipped = toyProjection({ name: 'not_analyzed', table: 'not_analyzed_counts' });
    const other = engineFor([skipped], { analyzeAfterEvents: log.length + 1 });
    await other.start();
    await other.waitUntilCaughtUp(10_000);
    expect(await readCounts(sql, 'not_analyzed_counts')).toEqual(expected());
    expect(await reltuples('not_analyzed_counts__g1')).toBe(-1);
  });

  it('commits each batch with synchronous_commit off and plans its statements per batch, both set by the checkpoint advance itself', async () => {
    const settings = new Set<string>();
    const toy = toyProjection({
      name: 'async_commit', table: 'async_commit_counts',
      afterApply: async (_events, _physical, tx) => {
        const { rows } = await tx.query<{ synchronous_commit: string; plan_cache_mode: string }>(
          `SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('plan_cache_mode') AS plan_cache_mode`,
        );
        settings.add(`${rows[0]!.synchronous_commit} ${rows[0]!.plan_cache_mode}`);
      },
    });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    // A named statement's generic plan, made while the generation's tables were nearly empty,
    // would otherwise stay with the connection however the tables grow (batch-writer.ts).
    expect(settings).toEqual(new Set(['off force_custom_plan']));
    // Local to the batch's transaction: the connection is back to its defaults afterwards.
    const { rows } = await sql.query<{ synchronous_commit: string; plan_cache_mode: string }>(
      `SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('plan_cache_mode') AS plan_cache_mode`,
    );
    expect(rows[0]).toEqual({ synchronous_commit: 'on', plan_cache_mode: 'auto' });
  });

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
    expect(await readCounts(sql, 'flaky_counts')).toEqual([]);
    expect((await statusOf(toy)).parked.count).toBe(0);
    failing = false;
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(sql, 'flaky_counts')).toEqual(expected());
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
    expect(await readCounts(sql, 'idle_counts')).toEqual(expected());
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
    expect(await readCounts(sql, 'parking_counts')).toEqual(expected('Poison'));
    expect(parked).toEqual(['Poison']);
    const status = await statusOf(toy);
    const poison = (await store.readStream('poisoned'))[1]!;
    expect(status.status).toBe('live');
    expect(status.parked).toEqual({
      count: 1,
      events: [{ eventId: poison.eventId, globalPosition: poison.globalPosition, streamId: 'poisoned', revision: 1, type: 'Poison', error: 'cannot apply Poison at poisoned@1', parkedAt: expect.any(String) }],
    });
    expect(status.eventsProcessed).toBe(log.length);
  });

  it('tails the log live: a new append is applied at once, woken by its commit, not by a poll', async () => {
    const toy = toyProjection({ name: 'tail', table: 'tail_counts' });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the subscription fall asleep
    const started = Date.now();
    await append('live-1', [contact()]);
    await until(async () => (await readCounts(sql, 'tail_counts')).some((row) => row.stream_id === 'live-1'), 5_000, 'live event applied');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reads the log once for serving generations catching up from the same checkpoint, then each alone from the head', async () => {
    const { froms, restore } = recordSubscriptions();
    try {
      const toys = ['together_a', 'together_b', 'together_c'].map((name) => toyProjection({ name, table: `${name}_counts` }));
      const engine = engineFor(toys);
      await engine.start();
      await engine.waitUntilCaughtUp(10_000);
      for (const toy of toys) expect(await readCounts(sql, toy.tables[0]!.name)).toEqual(expected());
      // One read of the whole log for the three (batches of 10 over more than 20 events), then one
      // each from the head, where each goes on live at its own pace.
      const head = formatCheckpoint((await store.readAll({ limit: 10_000 })).checkpoint);
      expect(log.length).toBeGreaterThan(20);
      expect(froms.filter((from) => from === formatCheckpoint(START))).toHaveLength(1);
      expect(froms.filter((from) => from !== formatCheckpoint(START))).toEqual([head, head, head]);
    } finally {
      restore();
    }
  });

  it('reads the log once for rebuilds requested together, though each generation is set up on its own a moment apart', async () => {
    const toys = ['gather_a', 'gather_b'].map((name) => toyProjection({ name, table: `${name}_counts` }));
    const engine = engineFor(toys, { rebuildBatchSize: 10 });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    const { froms, restore } = recordSubscriptions();
    try {
      const first = engine.rebuild('gather_a');
      // Long enough for the first generation to be set up and, were the log not held, read past its first batch.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all([first, engine.rebuild('gather_b')]);
      for (const toy of toys) expect(await readCounts(sql, toy.tables[0]!.name)).toEqual(expected());
      expect(log.length).toBeGreaterThan(20);
      expect(froms.filter((from) => from === formatCheckpoint(START))).toHaveLength(1);
    } finally {
      restore();
    }
  });

  it('resumes from its checkpoint after a restart, with the rows of a clean full run', async () => {
    const toy = toyProjection({ name: 'resume', table: 'resume_counts', batchSize: 4 });
    const first = engineFor([toy]);
    await first.start();
    await first.waitUntilCaughtUp(10_000);
    await first.stop();
    await appendMany('later', 2, 6);
    const stopped = await statusOf(toy);
    expect(stopped.status).toBe('stopped');
    expect(stopped.lag.events).toBe(12);
    expect(stopped.lag.seconds).toBeGreaterThanOrEqual(0);
    const second = engineFor([toy]);
    await second.start();
    await second.waitUntilCaughtUp(10_000);
    const resumed = await readCounts(sql, 'resume_counts');
    expect(resumed).toEqual(expected());
    expect((await statusOf(toy)).eventsProcessed).toBe(log.length);
    await second.rebuild('resume');
    expect(await readCounts(sql, 'resume_counts')).toEqual(resumed);
  });

  it('waitUntilCaughtUp waits for the events visible at the call, and rejects after its timeout', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const toy = toyProjection({ name: 'gated', table: 'gated_counts', beforeApply: () => gate });
    const engine = engineFor([toy]);
    try {
      await engine.start();
      // On the embedded database the gated batch holds the one connection: the head cannot even be read.
      await expect(engine.waitUntilCaughtUp(300)).rejects.toThrow(backend.label === 'embedded' ? /catching up after 300 ms/ : /catching up after 300 ms: gated/);
    } finally {
      open();
    }
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(sql, 'gated_counts')).toEqual(expected());
  });

  it('reports failed, with the error, while the log cannot be read past an event, and recovers when it can', async () => {
    let unreadable = true;
    const picky = await eventStoreOn(sql, {
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
    expect(await readCounts(sql, 'picky_counts')).toEqual(expected());
    expect(await statusOf(toy)).toMatchObject({ status: 'live', lastError: null });
  });

  it('records a read failure after the batch read before it is written, which therefore does not clear it', async () => {
    let readFailed = false;
    const picky = await eventStoreOn(sql, {
      upcast: (event) => {
        if (event.type !== 'Undecodable') return event;
        readFailed = true;
        throw new Error('no upcaster for Undecodable v1');
      },
    });
    // Holds every transaction the engine begins (its batches', its heartbeat's rebuild check) before BEGIN while `held` is set.
    let held: Promise<void> | undefined;
    let release!: () => void;
    const slowToBegin: SqlClient = Object.assign(Object.create(sql) as SqlClient, {
      transaction: async <T>(work: (tx: SqlTransaction) => Promise<T>) => (await held, sql.transaction(work)),
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
    expect((await readCounts(sql, 'held_counts')).map((row) => row.stream_id)).toContain('held');
  });
});
