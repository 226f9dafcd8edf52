import { randomUUID } from 'node:crypto';
import type { Checkpoint, EventStore, GlobalBatch, NewEvent } from '../src';
import { START } from '../src';

/** What an adapter's spec hands the shared contract suite. */
export interface ContractHarness {
  /** Opens a store on the adapter's shared test database. */
  open(options?: { clock?: () => Date; beforeCommit?: (streamId: string) => Promise<void> }): Promise<EventStore>;
  /** Changes a stored event's data behind the store's back (absent where the log is immutable). */
  tamper?(streamId: string, revision: number): Promise<void>;
  /** Deletes a stored event behind the store's back. */
  remove?(streamId: string, revision: number): Promise<void>;
  /** Whether commits from concurrent writers can interleave (false for a single-connection store). */
  readonly concurrentCommits: boolean;
}

export class TestClock {
  constructor(private current = new Date('2026-01-01T00:00:00.000Z')) {}
  readonly now = (): Date => new Date(this.current);
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export function streamName(prefix = 'account'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

export function anEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    type: 'ContactLogged',
    schemaVersion: 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
    data: { channel: 'call', direction: 'outbound', summary: 'quarterly review' },
    metadata: { correlationId: 'corr-1', actor: 'tests' },
    ...overrides,
  };
}

export function events(count: number, overrides: Partial<NewEvent> = {}): NewEvent[] {
  return Array.from({ length: count }, (_, index) => anEvent({ data: { n: index }, ...overrides }));
}

/** The log's current end, so a test on a shared store reads only what it wrote itself. */
export async function endOfLog(store: EventStore): Promise<Checkpoint> {
  let after = START;
  for (;;) {
    const batch = await store.readAll({ after, limit: 1000 });
    if (batch.events.length === 0) return after;
    after = batch.checkpoint;
  }
}

export async function readAllAfter(store: EventStore, after: Checkpoint): Promise<GlobalBatch['events'][number][]> {
  const seen = [];
  for (;;) {
    const batch = await store.readAll({ after, limit: 250 });
    if (batch.events.length === 0) return seen;
    seen.push(...batch.events);
    after = batch.checkpoint;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function eventually(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
