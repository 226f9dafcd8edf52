import { seedPortfolio } from '@ahe/demo';
import { eventStoreOn } from '@ahe/event-store';
import { openTarget, type StoreTarget } from './store-target';

/**
 * Demo accounts with a short history (about 10 events each) in a benchmark's own store, so
 * writes fold and project realistic streams. Answers the ids of those still open: a closed
 * account refuses commands and its projections would park further events.
 */
export async function seedOpenAccounts(target: StoreTarget, accounts: number, log: (line: string) => void): Promise<string[]> {
  log(`seeding ${accounts.toLocaleString('en')} demo accounts into ${target.kind === 'postgres' ? target.schema : target.dataDir}…`);
  const sql = await openTarget(target, 8);
  try {
    const store = await eventStoreOn(sql);
    await seedPortfolio(store, { accounts, years: 0.3, seed: 7 }, { concurrency: 8 });
    const { rows } = await sql.query<{ account_id: string }>(
      `SELECT substr(stream_id, 9) AS account_id FROM event_streams
       WHERE stream_id NOT IN (SELECT stream_id FROM events WHERE type = 'AccountClosed')`,
    );
    return rows.map((row) => row.account_id);
  } finally {
    await sql.close();
  }
}
