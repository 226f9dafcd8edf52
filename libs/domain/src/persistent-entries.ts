const REMOVED: unique symbol = Symbol('removed');
type Slot<Value> = Value | typeof REMOVED;

/** Beyond this many ops per live entry (plus slack), the next write starts a compacted log. */
const MAX_OPS_PER_ENTRY = 2;
const COMPACTION_SLACK = 32;

/**
 * Every set and delete of one line of versions, in order. Versions share it: each sees only
 * the ops below its own length, so appending at the end never changes what an older one sees.
 */
class EntryLog<Value> {
  readonly keys: string[] = [];
  readonly slots: Slot<Value>[] = [];
  /** The indices of each key's ops, ascending. */
  readonly opsOfKey = new Map<string, number[]>();
  /** The record view built last at the highest length, to start the next one from. */
  private newestRecord: { readonly length: number; readonly record: Readonly<Record<string, Value>> } | undefined;

  static of<Value>(entries: Iterable<readonly [string, Value]>): EntryLog<Value> {
    const log = new EntryLog<Value>();
    for (const [key, value] of entries) log.append(key, value);
    return log;
  }

  get length(): number {
    return this.keys.length;
  }

  append(key: string, slot: Slot<Value>): void {
    const ops = this.opsOfKey.get(key);
    if (ops === undefined) this.opsOfKey.set(key, [this.keys.length]);
    else ops.push(this.keys.length);
    this.keys.push(key);
    this.slots.push(slot);
  }

  /** The last op on `key` among the first `length` ops; -1 if none. */
  lastOpBefore(key: string, length: number): number {
    const ops = this.opsOfKey.get(key);
    if (ops === undefined || ops[0]! >= length) return -1;
    if (ops.at(-1)! < length) return ops.at(-1)!;
    let [low, high] = [0, ops.length - 1];
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (ops[middle]! < length) low = middle;
      else high = middle;
    }
    return ops[low]!;
  }

  /** The first `length` ops replayed: Map order is the order a plain object copy would give. */
  replay(length: number): Map<string, Value> {
    const entries = new Map<string, Value>();
    for (let index = 0; index < length; index++) {
      const slot = this.slots[index]!;
      if (slot === REMOVED) entries.delete(this.keys[index]!);
      else entries.set(this.keys[index]!, slot);
    }
    return entries;
  }

  /**
   * The first `length` ops as a plain record. Built from a copy of the newest record built so
   * far when that one is only a few ops behind: a fold whose every state is read (the escalation
   * watch scores after each event) then pays one copy per change, as with copied records.
   */
  recordAt(length: number, size: number): Record<string, Value> {
    const newest = this.newestRecord;
    const fromNewest = newest !== undefined && newest.length <= length && length - newest.length <= size;
    const record: Record<string, Value> = fromNewest ? { ...newest.record } : {};
    for (let index = fromNewest ? newest.length : 0; index < length; index++) applyOp(record, this.keys[index]!, this.slots[index]!);
    if (newest === undefined || newest.length <= length) this.newestRecord = { length, record };
    return record;
  }
}

function applyOp<Value>(record: Record<string, Value>, key: string, slot: Slot<Value>): void {
  if (slot === REMOVED) delete record[key];
  // Assigning "__proto__" would set the prototype; defining it makes an own entry.
  else if (key === '__proto__') Object.defineProperty(record, key, { value: slot, writable: true, enumerable: true, configurable: true });
  else record[key] = slot;
}

/**
 * An immutable map from string keys, in insertion order, that costs O(1) amortized per set or
 * delete instead of the O(size) of copying a record. A new version appends to the log it
 * shares with its predecessor when the predecessor is the log's newest version, the usual
 * case of a fold; a version extended a second time (a kept snapshot folded further) copies
 * its live entries into a log of its own first. Views as a plain record or key list cost
 * O(size) once per version and are cached.
 */
export class PersistentEntries<Value> {
  private record: Readonly<Record<string, Value>> | undefined;
  private keyList: readonly string[] | undefined;
  private valueList: readonly Value[] | undefined;

  private constructor(
    private readonly log: EntryLog<Value>,
    private readonly length: number,
    readonly size: number,
  ) {}

  static of<Value>(entries: Iterable<readonly [string, Value]>): PersistentEntries<Value> {
    const log = EntryLog.of(new Map(entries));
    return new PersistentEntries(log, log.length, log.length);
  }

  static ofRecord<Value>(record: Readonly<Record<string, Value>>): PersistentEntries<Value> {
    return PersistentEntries.of(Object.entries(record));
  }

  get(key: string): Value | undefined {
    const op = this.log.lastOpBefore(key, this.length);
    const slot = op === -1 ? REMOVED : this.log.slots[op]!;
    return slot === REMOVED ? undefined : slot;
  }

  has(key: string): boolean {
    const op = this.log.lastOpBefore(key, this.length);
    return op !== -1 && this.log.slots[op] !== REMOVED;
  }

  /** A new key goes last; an existing one keeps its place, as in a spread copy. */
  set(key: string, value: Value): PersistentEntries<Value> {
    return this.appended(key, value, this.has(key) ? this.size : this.size + 1);
  }

  delete(key: string): PersistentEntries<Value> {
    return this.has(key) ? this.appended(key, REMOVED, this.size - 1) : this;
  }

  /** A plain object with an own property per entry, "__proto__" included. */
  toRecord(): Readonly<Record<string, Value>> {
    return (this.record ??= this.log.recordAt(this.length, this.size));
  }

  /** Every entry in order: O(size of the log), for a rare full walk. */
  entries(): IterableIterator<[string, Value]> {
    return this.log.replay(this.length).entries();
  }

  toKeys(): readonly string[] {
    return (this.keyList ??= [...this.log.replay(this.length).keys()]);
  }

  /** The values in entry order, with no record built: a record keyed by ids gives V8 a hidden class per id. */
  toValues(): readonly Value[] {
    return (this.valueList ??= [...this.log.replay(this.length).values()]);
  }

  private appended(key: string, slot: Slot<Value>, size: number): PersistentEntries<Value> {
    const newest = this.length === this.log.length;
    const wasteful = this.length > MAX_OPS_PER_ENTRY * this.size + COMPACTION_SLACK;
    const log = newest && !wasteful ? this.log : EntryLog.of(this.log.replay(this.length));
    log.append(key, slot);
    return new PersistentEntries(log, log.length, size);
  }
}
