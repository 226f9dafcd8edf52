import type { SqlClient, SqlQueryable } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '../engine/projection-engine';
import { readProjectionStatuses, requestRebuild, UnknownProjectionError, type ProjectionDefinition, type RebuildProgress } from '../index';
import { BACKENDS, contact, readCounts, toyProjection, until, type StreamCount } from '../testing/toy-projection.contract';

/** `sql`, except that a transaction that points views (a swap) resolves `delayMs()` after its commit. */
function swapsReportedLate(sql: SqlClient, delayMs: () => number): SqlClient {
  const transaction = async <T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T> => {
    let pointsViews = false;
    const result = await sql.transaction((tx) =>
      work({
        query: <Row,>(text: string, params?: readonly unknown[], name?: string) => {
          pointsViews ||= text.includes('CREATE OR REPLACE VIEW');
          return tx.query<Row>(text, params, name);
        },
        exec: (script) => tx.exec(script),
      }),
    );
    if (pointsViews && delayMs() > 0) await new Promise((resolve) => setTimeout(resolve, delayMs()));
    return result;
  };
  return new Proxy(sql, {
    get: (target, property) => {
      if (property === 'transaction') return transaction;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.each(BACKENDS)('blue/green rebuilds on $label', (backend) => {
  let env: Awaited<ReturnType<typeof backend.open>>;
  let sql: SqlClient;
  let store: EventStore;
  const engines: ProjectionEngine[] = [];
  const counts = new Map<string, number>();

  const engineFor = (definitions: ProjectionDefinition[]) => {
    const engine = new ProjectionEngine({ sql, store, definitions, batchSize: 10, rebuildBatchSize: 10, lockRetryMs: 200, logger: process.env.DEBUG_PROJECTIONS ? { log: (m) => console.log(Date.now() % 100000, m), warn: (m) => console.log(Date.now() % 100000, m), error: (m) => console.log(m) } : undefined });
    engines.push(engine);
    return engine;
  };
  const append = async (streamId: string) => {
    await store.append(streamId, [contact()]);
    counts.set(streamId, (counts.get(streamId) ?? 0) + 1);
  };
  const expected = (): StreamCount[] =>
    [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([stream_id, events]) => ({ stream_id, events, last_revision: events - 1 }));
  const statusOf = async (definition: ProjectionDefinition) =>
    (await readProjectionStatuses(sql, { definitions: [definition], store, now: new Date(), lockRetryMs: 200, batchSize: 10 }))[0]!;
  const tableExists = async (table: string) =>
    (await sql.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]!.found;
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  };

  beforeAll(async () => {
    env = await backend.open();
    ({ sql, store } = env);
    for (let i = 0; i < 60; i++) await append(`account-${i % 7}`);
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });
  afterAll(() => env.dispose());

  it('builds a new generation while the old one serves, swaps the view, and drops the old tables', async () => {
    const hold = gate();
    const toy = toyProjection({ name: 'blue', table: 'blue_counts', beforeApply: (_events, physical) => (physical.endsWith('__g2') ? hold.opened : Promise.resolve()) });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    const before = await readCounts(sql, 'blue_counts');
    expect(before).toEqual(expected());

    await expect(requestRebuild(sql, 'nope', { definitions: [toy] })).rejects.toThrow(UnknownProjectionError);
    await requestRebuild(sql, 'blue', { definitions: [toy], reason: 'spec' });
    if (backend.label === 'PostgreSQL') {
      // The embedded database is held by the gated batch; PostgreSQL can show the building state.
      await until(async () => (await statusOf(toy)).rebuild !== null, 5_000, 'rebuild started');
      const building = await statusOf(toy);
      expect(building).toMatchObject({ generation: 1, status: 'live', rebuild: { generation: 2, version: 'v1', status: 'building' } });
      expect(await readCounts(sql, 'blue_counts')).toEqual(before);
      expect(await tableExists('blue_counts__g2')).toBe(true);
    }
    hold.open();
    await until(async () => (await statusOf(toy)).generation === 2, 10_000, 'generation 2 serving');
    expect(await readCounts(sql, 'blue_counts')).toEqual(before);
    await until(async () => !(await tableExists('blue_counts__g1')), 5_000, 'generation 1 dropped');
    const after = await statusOf(toy);
    expect(after).toMatchObject({ generation: 2, servingVersion: 'v1', rebuild: null, eventsProcessed: 60 });
    await append('account-new');
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(sql, 'blue_counts')).toEqual(expected());
  });

  it('never shows a query a partial read model while rebuilding under concurrent appends', async () => {
    const toy = toyProjection({ name: 'busy', table: 'busy_counts' });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);

    // Bounded: a writer with no end could outrun a builder of the same batch size on a busy
    // machine, and a rebuild swaps only once it has read the log to its end.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 500; i++) {
        await append(`account-${i % 11}`);
        await new Promise((resolve) => setImmediate(resolve)); // writers arrive as requests do, between other work
      }
    })();
    let rebuilding = true;
    let readsDuringRebuild = 0;
    const seen: Array<{ streams: number; total: number }> = [];
    const reader = (async () => {
      while (rebuilding) {
        const { rows } = await sql.query<{ streams: number; total: number }>('SELECT count(*)::int AS streams, coalesce(sum(events), 0)::int AS total FROM busy_counts');
        seen.push(rows[0]!);
        readsDuringRebuild++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const progress: RebuildProgress[] = [];
    await engine.rebuild('busy', { onProgress: (report) => progress.push(report) });
    rebuilding = false;
    await reader;
    writing = false;
    await writer;
    await engine.waitUntilCaughtUp(10_000);

    expect(readsDuringRebuild).toBeGreaterThan(3);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.total).toBeGreaterThanOrEqual(seen[i - 1]!.total);
      expect(seen[i]!.streams).toBeGreaterThanOrEqual(seen[i - 1]!.streams);
    }
    expect(seen[0]!.streams).toBeGreaterThanOrEqual(7);
    expect(await readCounts(sql, 'busy_counts')).toEqual(expected());
    expect((await statusOf(toy)).generation).toBe(2);
    for (const report of progress) expect(report.eventsProcessed).toBeLessThanOrEqual(report.eventsTotal);
  });

  // On the embedded database a batch holds the only connection, so the serving runner cannot apply
  // anything while the building one writes: the race below needs two connections.
  (backend.label === 'PostgreSQL' ? it : it.skip)('swaps under writes that never pause, though the serving generation applies each one first', async () => {
    // Building batches take longer than the serving generation needs for the events appended meanwhile.
    const toy = toyProjection({ name: 'steady', table: 'steady_counts', afterApply: (_events, physical) => (physical.endsWith('__g2') ? new Promise((resolve) => setTimeout(resolve, 40)) : Promise.resolve()) });
    const engine = engineFor([toy]);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        await append(`account-${written % 5}`);
        written += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await requestRebuild(sql, 'steady', { definitions: [toy], reason: 'spec' });
      await until(async () => (await statusOf(toy)).generation === 2, 20_000, 'generation 2 serving while the writer goes on');
      const atSwap = written;
      await until(async () => written > atSwap + 5, 5_000, 'writes after the swap');
    } finally {
      writing = false;
      await writer;
    }
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(sql, 'steady_counts')).toEqual(expected());
  });

  it('keeps the projection through a swap whose commit fences out a batch of the old generation', async () => {
    // The swap commits (retiring generation 1), then promotes the new runner: a batch or refresh
    // of generation 1 in between is fenced out. That is the swap itself, not a takeover, and must
    // not make the process give the projection up. Widened here: each swap's commit is reported
    // 300 ms late, while appends keep arriving for generation 1.
    let holdSwapsMs = 0;
    const slowSwaps = swapsReportedLate(sql, () => holdSwapsMs);
    const warnings: string[] = [];
    const toy = toyProjection({ name: 'race', table: 'race_counts' });
    const engine = new ProjectionEngine({
      sql: slowSwaps, store, definitions: [toy], batchSize: 10, rebuildBatchSize: 10, lockRetryMs: 200,
      logger: { log: () => undefined, warn: (message) => warnings.push(message), error: (message) => warnings.push(message) },
    });
    engines.push(engine);
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await append(`account-${counts.size % 5}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    let lostAt: number | undefined;
    const watcher = (async () => {
      while (writing && lostAt === undefined) {
        if (engine.owned().length === 0) lostAt = Date.now();
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    holdSwapsMs = 300;
    try {
      await engine.rebuild('race');
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      writing = false;
      await Promise.all([writer, watcher]);
    }
    await engine.waitUntilCaughtUp(10_000);
    expect(warnings).toEqual([]);
    expect(lostAt).toBeUndefined();
    expect((await statusOf(toy)).generation).toBe(2);
    expect(await readCounts(sql, 'race_counts')).toEqual(expected());
  });

  it('freezes a generation of another version, serves it while the new version builds, then swaps', async () => {
    const v1 = toyProjection({ name: 'versioned', table: 'versioned_counts', version: 'v1' });
    const first = engineFor([v1]);
    await first.start();
    await first.waitUntilCaughtUp(10_000);
    await first.stop();
    const served = await readCounts(sql, 'versioned_counts');

    const hold = gate();
    const refreshed: string[] = [];
    const v2 = {
      ...toyProjection({ name: 'versioned', table: 'versioned_counts', version: 'v2', beforeApply: () => hold.opened }),
      refresh: { intervalMs: 20, run: async (context: { table(name: string): string }) => (refreshed.push(context.table('versioned_counts')), { changed: 0 }) },
    };
    const second = engineFor([v2]);
    try {
      await second.start();
      if (backend.label === 'PostgreSQL') {
        await append('account-0');
        const stale = await statusOf(v2);
        expect(stale).toMatchObject({ status: 'stale', version: 'v2', servingVersion: 'v1', generation: 1, rebuild: { generation: 2, version: 'v2' } });
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Frozen: the old code's tables get nothing from the new code, and keep answering.
        expect(await readCounts(sql, 'versioned_counts')).toEqual(served);
        expect(refreshed).toEqual([]);
      }
    } finally {
      hold.open();
    }
    await second.waitUntilCaughtUp(10_000);
    expect(await statusOf(v2)).toMatchObject({ status: 'live', version: 'v2', servingVersion: 'v2', generation: 2 });
    expect(await readCounts(sql, 'versioned_counts')).toEqual(expected());
    await until(() => refreshed.length > 0, 5_000, 'refresh on the new generation');
    expect(new Set(refreshed)).toEqual(new Set(['versioned_counts__g2']));
  });

  it('rebuilds from a process that has not started the engine (the CLI), reporting progress', async () => {
    const toy = toyProjection({ name: 'cli', table: 'cli_counts', batchSize: 7 });
    const serving = engineFor([toy]);
    await serving.start();
    await serving.waitUntilCaughtUp(10_000);
    await serving.stop();
    const cli = engineFor([toy]);
    const progress: RebuildProgress[] = [];
    await cli.rebuild('cli', { onProgress: (report) => progress.push(report) });
    expect(await readCounts(sql, 'cli_counts')).toEqual(expected());
    expect((await statusOf(toy)).generation).toBe(2);
    expect(cli.owned()).toEqual([]);
    await expect(cli.rebuild('unknown')).rejects.toThrow(UnknownProjectionError);
  });
});
