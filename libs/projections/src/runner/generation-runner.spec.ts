import { randomUUID } from 'node:crypto';
import { START, type EventStore } from '@ahe/event-store';
import type { SqlClient } from '@ahe/database';
import { createGeneration } from '../generations/generation-setup';
import { readGenerations } from '../generations/generation-rows';
import { ensureProjectionSchema } from '../schema/projection-schema';
import { BACKENDS, contact, toyProjection } from '../testing/toy-projection.contract';
import { GenerationRunner } from './generation-runner';
import type { LogFeed, SharedLog } from './shared-log';

/** A feed whose failure the spec reports itself, at the moment it chooses. */
function feedFailedOnDemand(): { log: SharedLog; fail: (error: Error) => void } {
  let fail!: (error: Error) => void;
  const done = new Promise<void>((_, reject) => (fail = reject));
  const feed: LogFeed = { done, stop: async () => undefined, readAlone: () => undefined };
  return { log: { attach: () => feed } as unknown as SharedLog, fail };
}

describe.each(BACKENDS)('generation runner on $label', (backend) => {
  let env: Awaited<ReturnType<typeof backend.open>>;
  let sql: SqlClient;
  let store: EventStore;

  beforeAll(async () => {
    env = await backend.open();
    ({ sql, store } = env);
    await ensureProjectionSchema(sql);
  });
  afterAll(() => env.dispose());

  it('ends on a read failure only after writing a batch whose hand-over was still yielding when the read failed', async () => {
    // A feed reading on alone starts its first read while the last batch is still being handed
    // over; PGlite on the engine's thread can fail that read before the hand-over queues its write.
    const definition = toyProjection({ name: `yielding_${randomUUID().slice(0, 8)}`, table: 'yielding_counts' });
    const claimant = { owner: 'spec', ownerToken: randomUUID() };
    const generation = await sql.transaction((tx) => createGeneration(tx, definition, 'serving', claimant));
    await store.append(`yielding-${randomUUID()}`, [contact()]);
    const batch = await store.readAll({ limit: 1 });
    const { log, fail } = feedFailedOnDemand();
    const runner = new GenerationRunner({
      sql, log, definition, generation, from: START, position: null, ownerToken: claimant.ownerToken, batchSize: 10,
      clock: () => new Date(), afterBatch: async () => undefined, onReadError: () => undefined,
    });
    runner.start();
    const handedOver = runner.handOver(batch);
    fail(new Error('no upcaster for Undecodable v1'));

    try {
      await expect(runner.done).rejects.toThrow('no upcaster for Undecodable v1');
      expect(runner.checkpoint).toEqual(batch.checkpoint);
      const [row] = await readGenerations(sql, [definition.name]);
      expect(row!.checkpoint).toEqual(batch.checkpoint);
    } finally {
      // Its write must not outlive the database.
      await handedOver;
    }
  });
});
