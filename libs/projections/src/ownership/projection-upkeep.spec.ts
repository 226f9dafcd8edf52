import type { SqlClient } from '@ahe/database';
import type { EventStore } from '@ahe/event-store';
import { ProjectionEngine } from '../engine/projection-engine';
import type { ProjectionContext, ProjectionRefresh, RefreshStep } from '../projection.definition';
import { BACKENDS, contact, toyProjection, until } from '../testing/toy-projection.contract';

/** What one refresh step saw. */
interface StepSeen {
  readonly cursor: unknown;
  readonly xact: string;
  readonly lateApplied: boolean;
}

describe.each(BACKENDS)('a projection refresh in steps on $label', (backend) => {
  let env: Awaited<ReturnType<typeof backend.open>>;
  let sql: SqlClient;
  let store: EventStore;
  const engines: ProjectionEngine[] = [];

  const engineFor = (refresh: ProjectionRefresh, name: string) => {
    const engine = new ProjectionEngine({ sql, store, definitions: [toyProjection({ name, table: `${name}_counts`, refresh })], batchSize: 10, lockRetryMs: 200 });
    engines.push(engine);
    return engine;
  };
  const step = async (context: ProjectionContext, table: string, cursor: unknown): Promise<StepSeen> => {
    const { rows } = await context.tx.query<{ xact: string; late: boolean }>(
      `SELECT pg_current_xact_id()::text AS xact, EXISTS (SELECT 1 FROM ${context.table(table)} WHERE stream_id = 'account-late') AS late`,
    );
    return { cursor, xact: rows[0]!.xact, lateApplied: rows[0]!.late };
  };

  beforeAll(async () => {
    env = await backend.open();
    ({ sql, store } = env);
    for (let i = 0; i < 20; i++) await store.append(`account-${i % 4}`, [contact()]);
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
  });
  afterAll(() => env.dispose());

  it('commits each step on its own and applies the batches that arrive between steps', async () => {
    const seen: StepSeen[] = [];
    let started!: () => void;
    const firstStep = new Promise<void>((resolve) => (started = resolve));
    let refreshes = 0;
    const refresh: ProjectionRefresh = {
      intervalMs: 20,
      async run(context, cursor): Promise<RefreshStep> {
        if (cursor === undefined && ++refreshes > 1) return { changed: 0 };
        const now = await step(context, 'steps_counts', cursor);
        seen.push(now);
        started();
        // Until a batch has brought the late event in, the refresh goes on, a step at a time.
        if (now.lateApplied || seen.length >= 400) return { changed: 1 };
        await new Promise((resolve) => setTimeout(resolve, 10));
        return { changed: 1, next: seen.length };
      },
    };
    const engine = engineFor(refresh, 'steps');
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    await firstStep;
    await store.append('account-late', [contact('late')]);
    await until(() => seen.at(-1)?.lateApplied === true || seen.length >= 400, 20_000, 'the refresh to see the late event or give up');

    expect(seen.at(-1)!.lateApplied).toBe(true);
    expect(seen[0]!.cursor).toBeUndefined();
    expect(seen.slice(1).map((one) => one.cursor)).toEqual(seen.slice(1).map((_, index) => index + 1));
    expect(new Set(seen.map((one) => one.xact)).size).toBe(seen.length);
  });

  it('runs at once, not at its interval, when the refresh wakes its owner and when a new generation swaps in', async () => {
    const ran: string[] = [];
    let wake: (() => void) | undefined;
    let subscriptions = 0;
    const refresh: ProjectionRefresh = {
      intervalMs: 600_000,
      wakeups: (listener) => {
        subscriptions++;
        wake = listener;
        return () => subscriptions--;
      },
      async run(context): Promise<RefreshStep> {
        ran.push(context.table('woken_counts'));
        return { changed: 0 };
      },
    };
    const engine = engineFor(refresh, 'woken');
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    expect(subscriptions).toBe(1);
    expect(ran).toEqual([]);
    wake!();
    await until(() => ran.length === 1, 5_000, 'the refresh woken');
    await engine.rebuild('woken');
    await until(() => ran.length === 2, 5_000, 'the refresh of the generation swapped in');
    expect(ran[1]).not.toBe(ran[0]);
    await engines.splice(engines.indexOf(engine), 1)[0]!.stop();
    expect(subscriptions).toBe(0);
    wake!();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toHaveLength(2);
  });

  it('waits for its interval after a swap when it has no wake-ups (a swapped-in account_health would re-score every row)', async () => {
    let runs = 0;
    const refresh: ProjectionRefresh = {
      intervalMs: 600_000,
      async run(): Promise<RefreshStep> {
        runs++;
        return { changed: 0 };
      },
    };
    const engine = engineFor(refresh, 'unwoken');
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    await engine.rebuild('unwoken');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(runs).toBe(0);
  });

  it('runs again right after the refresh under way when woken during it', async () => {
    let runs = 0;
    let wake: (() => void) | undefined;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const refresh: ProjectionRefresh = {
      intervalMs: 600_000,
      wakeups: (listener) => ((wake = listener), () => undefined),
      async run(): Promise<RefreshStep> {
        if (++runs === 1) {
          entered();
          await held;
        }
        return { changed: 0 };
      },
    };
    const engine = engineFor(refresh, 'rewoken');
    await engine.start();
    await engine.waitUntilCaughtUp(10_000);
    wake!();
    await inside;
    wake!();
    release();
    await until(() => runs === 2, 5_000, 'the second refresh');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toBe(2);
  });

  it('stops after the step under way however many steps remain', async () => {
    let steps = 0;
    let started!: () => void;
    const stepping = new Promise<void>((resolve) => (started = resolve));
    const endless: ProjectionRefresh = {
      intervalMs: 20,
      async run(): Promise<RefreshStep> {
        steps++;
        started();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { changed: 1, next: steps };
      },
    };
    const engine = engineFor(endless, 'endless');
    await engine.start();
    await stepping;
    await engines.splice(engines.indexOf(engine), 1)[0]!.stop();
    const atStop = steps;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(steps).toBe(atStop);
  });
});
