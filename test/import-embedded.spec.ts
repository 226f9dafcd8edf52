import { openEventStore, type EventStore } from '@ahe/event-store';
import { IN_MEMORY } from '@ahe/database';
import { describeImporter } from './import-importer.cases';

describe('NDJSON import on the embedded store', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore({ kind: 'embedded', dataDir: IN_MEMORY });
  });
  afterAll(() => store.close());

  describeImporter(() => store);
});
