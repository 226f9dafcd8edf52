import { EventStoreDBClient } from '@eventstore/db-client';
import type { ContractHarness, OpenOptions } from '../../contract/index.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

export type EventStoreDbHarness = ContractHarness & { dispose(): Promise<void> };

/**
 * The contract harness for EventStoreDB. The log is immutable, so there is no tamper, remove,
 * rewindHead or removeHead: those tests are skipped by the suite, not faked. Appends opened
 * with `beforeCommit` run one at a time (see EventStoreDbEventStore.append), hence
 * concurrentCommits: false. `openElsewhere` opens a second client on the same server, as
 * another process would: its commits reach this process through the live $all subscription.
 */
export function eventStoreDbHarness(client: () => EventStoreDBClient, separateClient: () => EventStoreDBClient): EventStoreDbHarness {
  const separate = new Set<EventStoreDBClient>();
  const storeOptions = (open: OpenOptions = {}) => ({ clock: open.clock, beforeCommit: open.beforeCommit, upcast: open.upcast });
  return {
    concurrentCommits: false,
    open: async (open) => new EventStoreDbEventStore(client(), storeOptions(open)),
    async openElsewhere(open?: OpenOptions) {
      const own = separateClient();
      separate.add(own);
      return new EventStoreDbEventStore(own, { ...storeOptions(open), ownsClient: true });
    },
    async dispose() {
      await Promise.all([...separate].map((own) => own.dispose().catch(() => undefined)));
      separate.clear();
    },
  };
}
