import { START, type AppendResult, type EventStore } from '@ahe/event-store';
import { BACKENDS, contact } from '../testing/toy-projection.contract';
import { logProbe } from './log-probe';

describe.each(BACKENDS.map((backend) => [backend.label, backend] as const))('logProbe on the SQL store (%s)', (_label, backend) => {
  let env: Awaited<ReturnType<typeof backend.open>>;
  let store: EventStore;
  // Checkpoints from the appends, not from readAll: a reader of the log is held back by any
  // older open transaction on the server (ADR 0002), which other suites may hold.
  const appended: AppendResult[] = [];
  const after = (count: number) => appended[count - 1]!.checkpoint;

  beforeAll(async () => {
    env = await backend.open();
    store = env.store;
    for (let i = 0; i < 30; i++) appended.push(await store.append(`account-${i % 4}`, [contact()]));
  });
  afterAll(() => env.dispose());

  it('counts the events past a checkpoint exactly below its cap', async () => {
    const probe = logProbe(store, env.sql, { countCap: 10 });
    const pending = await probe.pending(after(25));
    expect(pending.events).toBe(5);
    const [twentySixth] = await store.readStream(appended[25]!.streamId, { fromRevision: appended[25]!.revision, limit: 1 });
    expect(pending.oldestRecordedAt).toBe(twentySixth!.recordedAt);
    expect((await probe.pending(after(30))).events).toBe(0);
  });

  it('past its cap, estimates from global positions instead of counting the whole backlog', async () => {
    const probe = logProbe(store, env.sql, { countCap: 10 });
    // No append failed here, so the positions have no gaps and the estimate is exact.
    expect((await probe.pending(START)).events).toBe(30);
    expect((await probe.pending(after(12))).events).toBe(18);
    // The default cap counts all 30.
    expect((await logProbe(store, env.sql).pending(START)).events).toBe(30);
  });

  it('never reports fewer than the cap once the count reaches it', async () => {
    const probe = logProbe(store, env.sql, { countCap: 10 });
    // A checkpoint whose global position is ahead of the events after it in log order (as a
    // later transaction's would be): the estimate would be below what was counted.
    const ahead = { commit: after(5).commit, prepare: after(5).prepare + 1_000n };
    expect((await probe.pending(ahead)).events).toBe(10);
  });
});
