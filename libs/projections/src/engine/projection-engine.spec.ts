import { formatCheckpoint, START } from '@ahe/event-store';
import type { ProjectionMetrics } from '../index';
import { engineHarness } from '../testing/engine-harness.contract';
import { BACKENDS, contact, readCounts, toyProjection, until } from '../testing/toy-projection.contract';

describe.each(BACKENDS)('projection engine on $label', (backend) => {
  const harness = engineHarness(backend);
  const { log, engineFor, appendMany, append, expected, recordSubscriptions, statusOf } = harness;

  it('applies the log in batches, committing the checkpoint with the rows', async () => {
    const toy = toyProjection({ name: 'basic', table: 'basic_counts' });
    const batches: number[] = [];
    const metrics: ProjectionMetrics = { batchApplied: (sample) => batches.push(sample.events), eventParked: () => undefined, lag: () => undefined };
    const engine = engineFor([toy], { metrics });
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'basic_counts')).toEqual(expected());
    expect(Math.max(...batches)).toBe(10);
    expect(batches.reduce((sum, events) => sum + events, 0)).toBe(log.length);
    const head = await harness.store.readAll({ limit: 10_000 });
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
    const reltuples = async (table: string) => Number((await harness.sql.query<{ reltuples: number }>('SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)', [table])).rows[0]!.reltuples);
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
    expect(await readCounts(harness.sql, 'not_analyzed_counts')).toEqual(expected());
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
    const { rows } = await harness.sql.query<{ synchronous_commit: string; plan_cache_mode: string }>(
      `SELECT current_setting('synchronous_commit') AS synchronous_commit, current_setting('plan_cache_mode') AS plan_cache_mode`,
    );
    expect(rows[0]).toEqual({ synchronous_commit: 'on', plan_cache_mode: 'auto' });
  });

  it('tails the log live: a new append is applied at once, woken by its commit, not by a poll', async () => {
    const toy = toyProjection({ name: 'tail', table: 'tail_counts' });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the subscription fall asleep
    const started = Date.now();
    await append('live-1', [contact()]);
    await until(async () => (await readCounts(harness.sql, 'tail_counts')).some((row) => row.stream_id === 'live-1'), 5_000, 'live event applied');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('reads the log once for serving generations catching up from the same checkpoint, then each alone from the head', async () => {
    const { froms, restore } = recordSubscriptions();
    try {
      const toys = ['together_a', 'together_b', 'together_c'].map((name) => toyProjection({ name, table: `${name}_counts` }));
      const engine = engineFor(toys);
      await engine.start();
      await engine.waitUntilCaughtUp(10_000);
      for (const toy of toys) expect(await readCounts(harness.sql, toy.tables[0]!.name)).toEqual(expected());
      // One read of the whole log for the three (batches of 10 over more than 20 events), then one
      // each from the head, where each goes on live at its own pace.
      const head = formatCheckpoint((await harness.store.readAll({ limit: 10_000 })).checkpoint);
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
      for (const toy of toys) expect(await readCounts(harness.sql, toy.tables[0]!.name)).toEqual(expected());
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
    const resumed = await readCounts(harness.sql, 'resume_counts');
    expect(resumed).toEqual(expected());
    expect((await statusOf(toy)).eventsProcessed).toBe(log.length);
    await second.rebuild('resume');
    expect(await readCounts(harness.sql, 'resume_counts')).toEqual(resumed);
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
    expect(await readCounts(harness.sql, 'gated_counts')).toEqual(expected());
  });
});
