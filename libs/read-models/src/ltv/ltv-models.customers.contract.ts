import type { FoldableEvent } from '@ahe/domain';
import { accountEnvelopes } from '../account-health/account-health.fixtures';
import { ltvKindOf } from './ltv-observation';
import { LtvAccountNotOpenedError } from './ltv-models.projection';
import { ltvProjector, WALL, type SeededLtvHarness } from './ltv-models.projection-harness.contract';
import { foldLtv, invoice, openedWithoutContract } from './ltv.fixtures';

/** ltv_customers: each account's history, whatever the batches it comes in; it never refits, so its wall clock stands still. */
export function describeLtvCustomers(harness: SeededLtvHarness): void {
  const { apply, createTables, applyAll, project, customers } = ltvProjector(harness, () => WALL);

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
}
