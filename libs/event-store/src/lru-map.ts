/**
 * A Map that keeps at most `capacity` entries, the most recently used. Map iterates in insertion
 * order, so re-inserting on use keeps the least recently used first, where eviction takes them.
 * An entry whose value is undefined reads as absent.
 */
export class LruMap<Key, Value> {
  private readonly entries = new Map<Key, Value>();
  /** What an eviction leaves: a sixteenth under capacity (none under it for capacities below 16). */
  private readonly evictTo: number;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.evictTo = capacity - Math.floor(capacity / 16);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: Key): Value | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: Key, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.evictLeastRecentlyUsed();
  }

  delete(key: Key): void {
    this.entries.delete(key);
  }

  /**
   * Evicts in batches: a Map keeps the slots of deleted entries, at its front here, until it next
   * rehashes, and every walk from its start passes them all. Evicting one entry a walk cost each
   * eviction thousands of slots once the keys in use outnumbered the capacity.
   */
  private evictLeastRecentlyUsed(): void {
    let excess = this.entries.size - this.evictTo;
    for (const key of this.entries.keys()) {
      if (excess-- === 0) break;
      this.entries.delete(key);
    }
  }

  /** Least recently used first, without counting as a use. A copy: the caller may delete while walking it. */
  snapshot(): Array<[Key, Value]> {
    return [...this.entries];
  }
}
