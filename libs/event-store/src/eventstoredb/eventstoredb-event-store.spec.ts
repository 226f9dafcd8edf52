import { EventStoreDBClient } from '@eventstore/db-client';
import { describeEventStoreContract } from '../../contract/index.contract';
import { eventStoreDbHarness } from './eventstoredb-harness.contract';

const CONNECTION_STRING = process.env.EVENTSTORE_CONNECTION_STRING;

/**
 * The shared contract against a real EventStoreDB, only when one is named. Without it the suite
 * is skipped under a title that says so: nothing here may read as "EventStoreDB passed".
 */
if (CONNECTION_STRING) {
  describe('EventStoreDbEventStore on EventStoreDB', () => {
    let client: EventStoreDBClient;
    const harness = eventStoreDbHarness(
      () => client,
      () => EventStoreDBClient.connectionString(CONNECTION_STRING),
    );
    beforeAll(() => {
      client = EventStoreDBClient.connectionString(CONNECTION_STRING);
    });
    afterAll(async () => {
      await harness.dispose();
      await client.dispose();
    });

    describeEventStoreContract('EventStoreDB', harness);
  });
} else {
  describe.skip('EventStore contract: EventStoreDB — SKIPPED, not run: EVENTSTORE_CONNECTION_STRING is not set (no EventStoreDB server here)', () => {
    it('runs the whole contract suite when EVENTSTORE_CONNECTION_STRING names a server', () => undefined);
  });
}
