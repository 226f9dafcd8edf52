import { performance } from 'node:perf_hooks';
import type { EventStore, NewEvent } from '@ahe/event-store';

/** Appends in flight at once, so a slow commit does not hold the schedule back. */
const WRITERS = 16;

export interface CommittedAppend {
  readonly committedAt: number;
  /** Global position of the append's last event. */
  readonly position: number;
}

/** Appends `rate` events a second on a fixed schedule (not after the previous one finished). */
export async function appendSteadily(store: EventStore, accountIds: readonly string[], rate: number, seconds: number, perAppend: number): Promise<CommittedAppend[]> {
  const total = Math.floor((rate * seconds) / perAppend);
  const intervalMs = (1000 * perAppend) / rate;
  const committed: CommittedAppend[] = [];
  const started = performance.now();
  let next = 0;
  const writer = async () => {
    while (next < total) {
      const index = next++;
      const wait = started + index * intervalMs - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const accountId = accountIds[Math.floor(Math.random() * accountIds.length)]!;
      const events = Array.from({ length: perAppend }, (_, n) => contact(index * perAppend + n));
      const result = await store.append(`account-${accountId}`, events, 'any');
      committed.push({ committedAt: performance.now(), position: result.position });
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return committed;
}

/**
 * Events a second the appends achieved: over the schedule's length when they kept up with it, over
 * the time they took when they fell behind it (a store slower than the rate stretches the run).
 */
export function achievedRate(appends: readonly CommittedAppend[], perAppend: number, startedAt: number, seconds: number): number {
  const lastCommit = appends.reduce((last, append) => Math.max(last, append.committedAt), startedAt);
  return (appends.length * perAppend) / Math.max(seconds, (lastCommit - startedAt) / 1000);
}

const contact = (n: number): NewEvent => ({
  type: 'ContactLogged',
  schemaVersion: 1,
  occurredAt: new Date().toISOString(),
  data: { channel: 'call', direction: 'outbound', summary: `Live lag check-in ${n}`, sentiment: 0.5 },
  metadata: { correlationId: `live-lag-${n}`, actor: 'bench' },
});
