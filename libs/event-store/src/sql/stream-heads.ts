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
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): StreamHead | undefined {
    const head = this.heads.get(streamId);
    if (head) {
      this.heads.delete(streamId);
      this.heads.set(streamId, head);
    }
    return head;
  }

  set(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value!);
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
