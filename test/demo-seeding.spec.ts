import { IN_MEMORY } from '@ahe/database';
import { generatePortfolio, seedPortfolio, storeIsEmpty } from '@ahe/demo';
import { openEventStore, type EventStore } from '@ahe/event-store';

describe('seeding a demo portfolio through the importer', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore({ kind: 'embedded', dataDir: IN_MEMORY });
  });
  afterAll(() => store.close());

  it('appends every generated event, each account in its stream in order', async () => {
    const options = { accounts: 60, years: 3, seed: 11 };
    expect(await storeIsEmpty(store)).toBe(true);
    const lines = [...generatePortfolio(options)];
    const result = await seedPortfolio(store, options);
    expect(result).toMatchObject({ lines: lines.length, events: lines.length, accounts: 60 });
    expect(await storeIsEmpty(store)).toBe(false);
    const first = lines.filter((line) => line.accountId === 'demo-11-0001');
    const stored = await store.readStream('account-demo-11-0001');
    expect(stored.map((event) => [event.type, event.occurredAt, event.data])).toEqual(first.map((line) => [line.type, line.occurredAt, line.data]));
    expect(stored[0]!.metadata.actor).toBe('demo-seed');
  });
});
