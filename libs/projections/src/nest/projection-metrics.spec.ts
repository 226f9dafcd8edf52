import { MetricsService } from '@ahe/platform';
import { ProjectionEngine } from '../engine/projection-engine';
import { projectionLockKey } from '../schema/projection-names';
import { BACKENDS, contact, toyProjection, until } from '../testing/toy-projection.contract';
import { prometheusProjectionMetrics } from './projection-metrics';

const embedded = BACKENDS.find((backend) => backend.label === 'embedded')!;

/** The lines of the scrape that are series of `metric` for the projection `name`. */
const seriesOf = (text: string, metric: string, name: string): string[] =>
  text.split('\n').filter((line) => line.startsWith(`${metric}{projection="${name}"`));

describe('prometheusProjectionMetrics, a generation stopped late', () => {
  const batch = (holder: string, position: number) => ({ name: 'late_toy', generation: 3, holder, events: 1, seconds: 0.01, position });

  it("keeps the position series of the supervisor that took the projection back, and removes it at that one's stop", async () => {
    const metrics = new MetricsService();
    const reported = prometheusProjectionMetrics(metrics);
    reported.batchApplied(batch('first-lease', 10));
    reported.batchApplied(batch('second-lease', 12));

    reported.generationStopped!({ name: 'late_toy', generation: 3, holder: 'first-lease' });
    expect(seriesOf(await metrics.render(), 'ahe_projection_position', 'late_toy')).toEqual(['ahe_projection_position{projection="late_toy",generation="3"} 12']);

    reported.generationStopped!({ name: 'late_toy', generation: 3, holder: 'second-lease' });
    expect(seriesOf(await metrics.render(), 'ahe_projection_position', 'late_toy')).toEqual([]);
  });

  it('removes the series of a generation stopped before any batch of another holder', async () => {
    const metrics = new MetricsService();
    const reported = prometheusProjectionMetrics(metrics);
    reported.batchApplied(batch('only-lease', 7));
    reported.generationStopped!({ name: 'late_toy', generation: 3, holder: 'only-lease' });
    expect(seriesOf(await metrics.render(), 'ahe_projection_position', 'late_toy')).toEqual([]);
  });
});

describe('prometheusProjectionMetrics with a running engine (embedded)', () => {
  let env: Awaited<ReturnType<typeof embedded.open>>;

  beforeAll(async () => {
    env = await embedded.open();
  });
  afterAll(() => env.dispose());

  it('keeps the lag through a swap, and removes it once the engine runs no generation of the projection', async () => {
    const metrics = new MetricsService();
    const reported = prometheusProjectionMetrics(metrics);
    const holders = new Set<string>();
    const engine = new ProjectionEngine({
      sql: env.sql,
      store: env.store,
      definitions: [toyProjection({ name: 'lag_toy', table: 'lag_toy_counts' })],
      batchSize: 10,
      // Heartbeats sample the lag; a second apart, none lands between the swap and the scrape after it to hide a lag the swap removed.
      lockRetryMs: 2_000,
      metrics: { ...reported, batchApplied: (sample) => (holders.add(sample.holder), reported.batchApplied(sample)) },
    });
    try {
      for (let i = 0; i < 5; i++) await env.store.append(`account-${i % 2}`, [contact()]);
      await engine.start();
      await engine.waitUntilCaughtUp(10_000);
      await until(async () => seriesOf(await metrics.render(), 'ahe_projection_lag_seconds', 'lag_toy').length === 1, 5_000, 'lag sampled');

      await engine.rebuild('lag_toy');
      const swapped = await metrics.render();
      expect(seriesOf(swapped, 'ahe_projection_lag_events', 'lag_toy')).toEqual(['ahe_projection_lag_events{projection="lag_toy"} 0']);
      expect(seriesOf(swapped, 'ahe_projection_position', 'lag_toy')).toEqual([expect.stringMatching(/^ahe_projection_position\{projection="lag_toy",generation="2"\} \d+$/)]);
    } finally {
      await engine.stop();
    }

    const stopped = await metrics.render();
    for (const metric of ['ahe_projection_lag_events', 'ahe_projection_lag_seconds', 'ahe_projection_position']) {
      expect(seriesOf(stopped, metric, 'lag_toy')).toEqual([]);
    }
    expect(seriesOf(stopped, 'ahe_projection_events_total', 'lag_toy')).toHaveLength(1);
    // One lease held throughout: every batch, of both generations, reported under its token.
    expect([...holders]).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  }, 30_000);
});

const postgres = BACKENDS.find((backend) => backend.label === 'PostgreSQL')!;

describe('prometheusProjectionMetrics when the lock is lost (PostgreSQL)', () => {
  let env: Awaited<ReturnType<typeof postgres.open>>;

  beforeAll(async () => {
    env = await postgres.open();
  });
  afterAll(() => env.dispose());

  /** What the server does when the process's lock connection dies. */
  const endLockConnection = async (name: string) => {
    const schema = (await env.sql.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
    await env.sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [projectionLockKey(schema, name).toString()],
    );
  };

  it('removes the lag as soon as the process lets the projection go, not once its batch in flight ends', async () => {
    let holding = false;
    let inFlight!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((resolve) => (inFlight = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // A batch that does not end, as on a database gone silent: it holds its generation's row, so the heartbeat waits too.
    const toy = toyProjection({
      name: 'lost_toy',
      table: 'lost_toy_counts',
      beforeApply: async () => {
        if (!holding) return;
        inFlight();
        await released;
      },
    });
    const metrics = new MetricsService();
    const engine = new ProjectionEngine({
      sql: await env.second!(),
      store: env.store,
      definitions: [toy],
      batchSize: 10,
      lockRetryMs: 1_000,
      metrics: prometheusProjectionMetrics(metrics),
    });
    try {
      await env.store.append('account-0', [contact()]);
      await engine.start();
      await until(async () => seriesOf(await metrics.render(), 'ahe_projection_lag_events', 'lost_toy').length === 1, 5_000, 'lag sampled');
      holding = true;
      await env.store.append('account-1', [contact()]);
      await entered;

      await endLockConnection('lost_toy');
      await until(() => engine.owned().length === 0, 5_000, 'the lost lock noticed');
      await until(async () => seriesOf(await metrics.render(), 'ahe_projection_lag_events', 'lost_toy').length === 0, 2_000, 'lag removed');
      expect(seriesOf(await metrics.render(), 'ahe_projection_lag_seconds', 'lost_toy')).toEqual([]);
    } finally {
      release();
      await engine.stop();
    }
  }, 30_000);
});
