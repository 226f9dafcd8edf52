import type { SqlClient, SqlQueryable } from '@ahe/database';
import { ProjectionEngine } from '../engine/projection-engine';
import { requestRebuild, type RebuildProgress } from '../index';
import { BACKENDS, readCounts, toyProjection, until } from '../testing/toy-projection.contract';
import { rebuildHarness } from './rebuild-harness.contract';

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

describe.each(BACKENDS)('blue/green rebuilds under writes on $label', (backend) => {
  const harness = rebuildHarness(backend);
  const { engines, counts, engineFor, append, expected, statusOf } = harness;

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
        const { rows } = await harness.sql.query<{ streams: number; total: number }>('SELECT count(*)::int AS streams, coalesce(sum(events), 0)::int AS total FROM busy_counts');
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
    expect(await readCounts(harness.sql, 'busy_counts')).toEqual(expected());
    expect((await statusOf(toy)).generation).toBe(2);
    // Possibly none: the started engine's heartbeat can take the request without holding the
    // log, and the rebuild then start and swap in between two looks of engine.rebuild.
    for (const report of progress) expect(report.eventsProcessed).toBeLessThanOrEqual(report.eventsTotal);
  });

  // On the embedded database a batch holds the only connection, so the serving runner cannot apply
  // anything while the building one writes: the race below needs two connections.
  (backend.label === 'PostgreSQL' ? it : it.skip)('swaps under writes that never pause, though the serving generation applies each one first', async () => {
    // Building batches take longer than the serving generation needs for the events appended
    // meanwhile. They are large enough to catch up with the log the earlier tests left well within
    // the deadline (batches of 10 gained on the writer only a few dozen events a second), so that
    // what is waited for is the race at the head, not the catching up.
    const toy = toyProjection({ name: 'steady', table: 'steady_counts', afterApply: (_events, physical) => (physical.endsWith('__g2') ? new Promise((resolve) => setTimeout(resolve, 40)) : Promise.resolve()) });
    const engine = engineFor([toy], { rebuildBatchSize: 100 });
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
      await requestRebuild(harness.sql, 'steady', { definitions: [toy], reason: 'spec' });
      await until(async () => (await statusOf(toy)).generation === 2, 20_000, 'generation 2 serving while the writer goes on');
      const atSwap = written;
      await until(async () => written > atSwap + 5, 5_000, 'writes after the swap');
    } finally {
      writing = false;
      await writer;
    }
    await engine.waitUntilCaughtUp(10_000);
    expect(await readCounts(harness.sql, 'steady_counts')).toEqual(expected());
  });

  it('keeps the projection through a swap whose commit fences out a batch of the old generation', async () => {
    // The swap commits (retiring generation 1), then promotes the new runner: a batch or refresh
    // of generation 1 in between is fenced out. That is the swap itself, not a takeover, and must
    // not make the process give the projection up. Widened here: each swap's commit is reported
    // 300 ms late, while appends keep arriving for generation 1.
    let holdSwapsMs = 0;
    const slowSwaps = swapsReportedLate(harness.sql, () => holdSwapsMs);
    const warnings: string[] = [];
    const toy = toyProjection({ name: 'race', table: 'race_counts' });
    const engine = new ProjectionEngine({
      sql: slowSwaps, store: harness.store, definitions: [toy], batchSize: 10, rebuildBatchSize: 10, lockRetryMs: 200,
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
    expect(await readCounts(harness.sql, 'race_counts')).toEqual(expected());
  });
});
