import { InvalidEventError } from '../errors';
import type { SealedEvent } from '../sealed-batch';

/**
 * EventStoreDB would store a NUL character or a lone surrogate, but PostgreSQL's jsonb cannot.
 * Refusing them on every store keeps the log movable between stores and the contract the same.
 */
export function assertPortable(events: readonly SealedEvent[]): void {
  events.forEach((event, index) => {
    const bad = findUnportable(event.data) ?? findUnportable(event.metadata);
    if (bad) throw new InvalidEventError(`events[${index}] holds ${bad}, which not every store can keep`, `events[${index}]`);
  });
}

export function findUnportable(value: unknown): string | undefined {
  if (typeof value === 'string') return describe(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      const bad = findUnportable(item);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const bad = describe(key) ?? findUnportable(item);
      if (bad) return bad;
    }
  }
  return undefined;
}

function describe(text: string): string | undefined {
  if (text.includes('\u0000')) return 'a NUL character';
  if (!text.isWellFormed()) return 'a lone UTF-16 surrogate';
  return undefined;
}
