import { randomUUID } from 'node:crypto';
import type { Checkpoint, EventEnvelope, EventStore, GlobalBatch, NewEvent } from '../src';
import { START } from '../src';

/** What `open` (and `openElsewhere`) accept: test seams passed through to the store. */
export interface OpenOptions {
  clock?: () => Date;
  beforeCommit?: (streamId: string) => Promise<void>;
  /** Applied to every event read; a throw must surface as an error of the read, not be retried. */
  upcast?: (event: EventEnvelope) => EventEnvelope;
}

/** What an adapter's spec hands the shared contract suite. */
export interface ContractHarness {
  /** Opens a store on the adapter's shared test database (same client: one process). */
  open(options?: OpenOptions): Promise<EventStore>;
  /**
   * Opens a store on the same database through a SEPARATE client, as another process would
   * (absent where the database cannot be shared, e.g. embedded). Closing the store releases
   * that client; the harness releases any left open when the spec ends.
   */
  openElsewhere?(options?: OpenOptions): Promise<EventStore>;
  /** Changes a stored event's data behind the store's back (absent where the log is immutable). */
  tamper?(streamId: string, revision: number): Promise<void>;
  /** Deletes a stored event behind the store's back. */
  remove?(streamId: string, revision: number): Promise<void>;
  /** Moves the stream's head record back to `revision`, leaving its events in place. */
  rewindHead?(streamId: string, revision: number): Promise<void>;
  /** Deletes the stream's head record, leaving its events in place. */
  removeHead?(streamId: string): Promise<void>;
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

/** Settles like `promise`, or rejects naming `what` once `ms` have passed (a hang fails, not stalls). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** mulberry32: a seeded generator, so a failing interleaving's inputs can be replayed (CONTRACT_SEED). */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function contractSeed(): number {
  return Number(process.env.CONTRACT_SEED ?? Date.now() % 100_000);
}
