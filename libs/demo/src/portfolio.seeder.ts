import type { EventStore } from '@ahe/event-store';
import { importNdjson, type ImportOptions, type ImportResult } from '@ahe/import';
import { portfolioNdjson, type PortfolioOptions } from './portfolio.generator';

/**
 * Appends a generated portfolio through the importer, so demo data passes exactly the
 * checks a customer's import does.
 */
export function seedPortfolio(store: EventStore, options: PortfolioOptions, importOptions: ImportOptions = {}): Promise<ImportResult> {
  return importNdjson(store, portfolioNdjson(options), { actor: 'demo-seed', ...importOptions });
}

/** True when no account stream holds an event yet: the global log is empty. */
export async function storeIsEmpty(store: EventStore): Promise<boolean> {
  const { events } = await store.readAll({ limit: 1 });
  return events.length === 0;
}
