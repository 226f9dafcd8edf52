import { LruMap } from '../lru-map';

/** What an append needs to know about a stream's last event. */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
  readonly recordedAt: Date | null;
}

/**
 * Recently seen stream heads. Only a hint: an append built on a stale head is refused by the
 * database's own check and retried the slow way, so this can never write a wrong revision.
 */
export class StreamHeadCache extends LruMap<string, StreamHead> {
  constructor(capacity = 10_000) {
    super(capacity);
  }
}
