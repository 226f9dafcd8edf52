import { accountEnvelopes } from '../account-health/account-health.fixtures';
import { fitLtvModels } from './ltv-fit';
import { observeLtv } from './ltv-observation';
import { ltvModelsOf, type LtvModelRow } from './ltv-models.rows';
import { readLtvModels } from './ltv-models.queries';
import { ltvProjector, NOW, REFIT_INTERVAL_MS, WALL, type SeededLtvHarness } from './ltv-models.projection-harness.contract';
import { foldLtv, invoice, openedWithContract, openedWithoutContract, renewalWon } from './ltv.fixtures';

/** ltv_models: when a refit is due, what it writes, refused fits, and the wake-up that writes a fit. */
export function describeLtvFits(harness: SeededLtvHarness): void {
  let wall = WALL;
  const { definition, context, apply, refresh, createTables, applyAll, project, customers } = ltvProjector(harness, () => wall);

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
