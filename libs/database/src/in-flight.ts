/** Work started and not yet settled, for a close() to wait for before it closes what that work uses. */
export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Keeps `work` until it settles; returns it. */
  add<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const forget = () => this.pending.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once everything added so far has settled, fulfilled or not. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
