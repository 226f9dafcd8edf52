import type { SqlClient, SqlQueryable } from '@ahe/database';
import { seedPortfolio } from '@ahe/demo';
import type { FoldableEvent } from '@ahe/domain';
import { eventStoreOn, type EventEnvelope, type EventStore } from '@ahe/event-store';
import { accountEnvelopes } from '../account-health/account-health.fixtures';
import { fitLtvModels } from './ltv-fit';
import { ltvKindOf, observeLtv } from './ltv-observation';
import { ltvModelsOf, type LtvModelRow } from './ltv-models.rows';
import { ltvFitsSettled } from './ltv-models.refit';
import { LtvAccountNotOpenedError, ltvModelsProjection } from './ltv-models.projection';
import { readLtvModels } from './ltv-models.queries';
import type { LtvHistory } from './ltv.types';
import { foldLtv, invoice, openedWithContract, openedWithoutContract, renewalWon } from './ltv.fixtures';

const NOW = new Date('2025-06-10T12:00:00.000Z');
const WALL = new Date('2030-01-01T00:00:00.000Z');
const REFIT_INTERVAL_MS = 60_000;

export interface LtvHarness {
  readonly sql: () => SqlClient;
  readonly store: () => EventStore;
}

/**
 * The demo portfolio (40 accounts over two years, contractual and not) appended to a real
 * store, projected by calling `apply` and `refresh` the way the engine does. Tables are created
 * under a prefix (logical names when empty, for the query that reads the view's name).
 */
export function ltvHarness(open: () => Promise<SqlClient>): LtvHarness & { events: () => readonly EventEnvelope[] } {
  let sql: SqlClient;
  let store: EventStore;
  const events: EventEnvelope[] = [];
  beforeAll(async () => {
    sql = await open();
    store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts: 40, years: 2, seed: 11, endsAt: '2025-06-01T00:00:00.000Z' });
    for (let batch = await store.readAll({ limit: 1000 }); batch.events.length > 0; batch = await store.readAll({ after: batch.checkpoint, limit: 1000 })) {
      events.push(...batch.events);
    }
  });
  return { sql: () => sql, store: () => store, events: () => events };
}

/** Runs a refresh; when it wrote nothing, waits for a fit it started (on its worker thread) and runs the next tick. */
export async function refitTicks(tick: () => Promise<number>): Promise<number> {
  const first = await tick();
  if (first > 0) return first;
  await new Promise((resolve) => setTimeout(resolve, 0));
  await ltvFitsSettled();
  return tick();
}

export function describeLtvModelsProjection(harness: ReturnType<typeof ltvHarness>): void {
  let wall = WALL;
  const definition = ltvModelsProjection({ refitIntervalMs: REFIT_INTERVAL_MS, clock: () => wall });
  const context = (tx: SqlQueryable, prefix: string, now: Date) => ({ tx, table: (name: string) => `${prefix}${name}`, now });
  const apply = (prefix: string, batch: readonly EventEnvelope[]) => harness.sql().transaction((tx) => definition.apply(batch, context(tx, prefix, NOW)));
  // A refit takes two ticks: one reads the accounts, the fit runs after its commit, the next writes it.
  const refresh = (prefix: string, now: Date) => refitTicks(() => harness.sql().transaction((tx) => definition.refresh!.run(context(tx, prefix, now)).then((step) => step.changed)));
  const createTables = async (prefix: string) => {
    for (const table of definition.tables) await harness.sql().exec(table.ddl(`${prefix}${table.name}`));
  };
  async function applyAll(prefix: string, events: readonly EventEnvelope[], batchSize: number): Promise<void> {
    for (let start = 0; start < events.length; start += batchSize) await apply(prefix, events.slice(start, start + batchSize));
  }
  async function project(prefix: string, events: readonly EventEnvelope[], batchSize: number): Promise<void> {
    await createTables(prefix);
    await applyAll(prefix, events, batchSize);
  }
  const customers = async (prefix: string) =>
    (await harness.sql().query<{ account_id: string; segment: string; kind: string; history: LtvHistory; revision: number; position: number; updated_at: Date }>(
      `SELECT account_id, segment, kind, history, revision, position::float8 AS position, updated_at FROM ${prefix}ltv_customers ORDER BY account_id`,
    )).rows;

  describe('ltv_customers', () => {
    it('holds the same rows whatever the batch size, and a replayed batch changes nothing', async () => {
      const events = harness.events();
      await project('b500_', events, 500);
      const once = await customers('b500_');
      expect(once).toHaveLength(40);
      expect(once.map((row) => row.kind)).toEqual(expect.arrayContaining(['contractual', 'purchases']));
      await applyAll('b500_', events, 500);
      expect(await customers('b500_')).toEqual(once);
      await project('b13_', events, 13);
      expect(await customers('b13_')).toEqual(once);
      await project('b1_', events, 1);
      expect(await customers('b1_')).toEqual(once);
    });

    it('holds what a direct fold of each stream gives, stamped with the last event that changed it', async () => {
      const rows = await customers('b500_');
      for (const row of rows) {
        const stream = await harness.store().readStream(`account-${row.account_id}`);
        const history = foldLtv(stream as unknown as FoldableEvent[]);
        expect(row).toMatchObject({ segment: history.segment, kind: ltvKindOf(history), history: JSON.parse(JSON.stringify(history)) });
        const changing = stream.filter((event) => ['AccountOpened', 'RenewalWon', 'RenewalLost', 'AccountClosed', 'InvoiceIssued'].includes(event.type)).at(-1)!;
        expect(row).toMatchObject({ revision: changing.revision, position: changing.globalPosition, updated_at: new Date(changing.recordedAt) });
      }
    });

    it('refuses an event that precedes AccountOpened and skips types this build does not know', async () => {
      await createTables('unopened_');
      const [early] = accountEnvelopes('ltv-unopened', [invoice('2024-01-02T09:00:00.000Z', 100)]);
      await expect(apply('unopened_', [early!])).rejects.toThrow(LtvAccountNotOpenedError);
      const [opened, unknown, billed] = accountEnvelopes('ltv-unknown', [
        openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'),
        invoice('2024-01-02T09:00:00.000Z', 100),
        invoice('2024-01-03T09:00:00.000Z', 250),
      ]);
      await apply('unopened_', [opened!, { ...unknown!, type: 'InvoiceVoided' }, billed!]);
      const [row] = await customers('unopened_');
      expect(row!.history.purchases).toEqual([[Date.parse('2024-01-03') / 86_400_000, 250]]);
    });
  });

  describe('ltv_models', () => {
    let latestPosition: number;

    it('reads no models before the projection has tables, nor before its first refit', async () => {
      expect(await readLtvModels(harness.sql())).toBeNull();
      await createTables('');
      expect(await readLtvModels(harness.sql())).toBeNull();
      expect(await refresh('', NOW)).toBe(0);
      expect(await readLtvModels(harness.sql())).toBeNull();
    });

    it('fits every model on every account as of the refresh, and reads the fit back as fitted', async () => {
      const events = harness.events();
      await applyAll('', events.slice(0, Math.floor(events.length / 2)), 500);
      expect(await refresh('', NOW)).toBeGreaterThan(0);
      const rows = await customers('');
      latestPosition = Math.max(...rows.map((row) => row.position));
      const expected = fitLtvModels(
        rows.map((row) => observeLtv(row.history, NOW)),
        { asOf: NOW, axis: 'recorded', position: latestPosition },
      );
      expect(expected.sbg.length).toBeGreaterThan(0);
      expect(expected.bgnbd).not.toBeNull();
      expect(await readLtvModels(harness.sql())).toEqual(expected);
    });

    it('debounces refits: new data waits for the interval, then one refit takes everything in', async () => {
      const events = harness.events();
      const first = (await readLtvModels(harness.sql()))!;
      expect(await refresh('', NOW)).toBe(0);
      await applyAll('', events.slice(Math.floor(events.length / 2)), 500);
      wall = new Date(WALL.getTime() + REFIT_INTERVAL_MS - 1);
      expect(await refresh('', NOW)).toBe(0);
      expect(await readLtvModels(harness.sql())).toEqual(first);
      wall = new Date(WALL.getTime() + REFIT_INTERVAL_MS);
      expect(await refresh('', NOW)).toBeGreaterThan(0);
      const refitted = (await readLtvModels(harness.sql()))!;
      latestPosition = Math.max(...(await customers('')).map((row) => row.position));
      expect(refitted.fitId).toBe(`${latestPosition}@${NOW.toISOString()}`);
      expect(refitted.position).toBeGreaterThan(first.position);
    });

    it('refits without new data only once the fit is over a day old, and events that change no history do not count as data', async () => {
      wall = new Date(wall.getTime() + 10 * REFIT_INTERVAL_MS);
      const contact = accountEnvelopes('ltv-quiet', [
        openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'),
        { type: 'ContactLogged', occurredAt: '2025-06-01T09:00:00.000Z', data: { channel: 'call', direction: 'outbound', summary: 'hello' } },
      ], 1_000_000);
      await apply('', contact.slice(0, 1));
      expect(await refresh('', NOW)).toBeGreaterThan(0);
      const fit = (await readLtvModels(harness.sql()))!;
      wall = new Date(wall.getTime() + 10 * REFIT_INTERVAL_MS);
      await apply('', contact.slice(1));
      expect(await refresh('', new Date(NOW.getTime() + 86_400_000))).toBe(0);
      expect(await refresh('', new Date(NOW.getTime() + 86_400_001))).toBeGreaterThan(0);
      const nextDay = (await readLtvModels(harness.sql()))!;
      expect(nextDay).toMatchObject({ asOf: '2025-06-11T12:00:00.001Z', position: fit.position });
      // The same histories a day later: T has grown, so the purchase models move.
      expect(nextDay.bgnbd).not.toEqual(fit.bgnbd);
    });

    it('stores a refused fit with its reason and no figures, and reads it back as refused', async () => {
      // Two purchase histories and one renewal: too little for BG/NBD and Gamma-Gamma to converge
      // off the optimizer's wall.
      const histories = [
        [openedWithoutContract('2024-01-01T09:00:00.000Z', 'smb'), invoice('2024-02-01T09:00:00.000Z', 100_00), invoice('2024-05-01T09:00:00.000Z', 120_00)],
        [openedWithoutContract('2024-03-01T09:00:00.000Z', 'smb'), invoice('2024-03-01T09:00:00.000Z', 80_00), invoice('2025-01-01T09:00:00.000Z', 90_00)],
        [
          openedWithContract('2023-01-01T09:00:00.000Z', 'smb', { startsOn: '2023-01-01', endsOn: '2023-12-31', annualValue: 12_000_00 }),
          renewalWon('2023-12-01T09:00:00.000Z', '2024-12-31', 12_000_00),
        ],
      ];
      await createTables('rej_');
      for (const [index, events] of histories.entries()) await apply('rej_', accountEnvelopes(`ltv-lone-${index}`, events, 2_000_000 + 10 * index));
      expect(await refresh('rej_', NOW)).toBeGreaterThan(0);
      const { rows } = await harness.sql().query<LtvModelRow>(
        'SELECT model, segment, params, n, log_likelihood, rejection, as_of, fitted_at, position::float8 AS position, fit_id FROM rej_ltv_models',
      );
      const refused = rows.filter((row) => row.rejection !== null);
      expect(refused.length).toBeGreaterThan(0);
      for (const row of refused) expect(row).toMatchObject({ params: {}, n: null, log_likelihood: null });
      const observations = histories.map((events) => observeLtv(foldLtv(events), NOW));
      const fitted = fitLtvModels(observations, { asOf: NOW, axis: 'recorded', position: 2_000_021 });
      expect(fitted.rejected!.length).toBe(refused.length);
      expect(ltvModelsOf(rows)).toEqual(fitted);
    });

    it('wakes its owner once the fit it started is done, and the tick the wake-up sets off writes it', async () => {
      await project('woken_', harness.events(), 500);
      let woken = 0;
      const tick = () => harness.sql().transaction((tx) => definition.refresh!.run(context(tx, 'woken_', NOW))).then((step) => step.changed);
      let written: Promise<number> | undefined;
      // As the owner (ProjectionUpkeep) does: the next tick from a timer the wake-up sets. The
      // wake-up comes from work the first tick's transaction started; on the embedded store that
      // context once refused every tick after it.
      const unsubscribe = definition.refresh!.wakeups!(() => {
        woken++;
        written ??= new Promise((resolve) => setTimeout(resolve, 0)).then(tick);
      });
      try {
        expect(await tick()).toBe(0);
        const started = Date.now();
        while (woken === 0 && Date.now() - started < 60_000) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(woken).toBe(1);
        expect(await written).toBeGreaterThan(0);
      } finally {
        unsubscribe();
      }
    });
  });
}
