/** Runs one piece of work at a time, in call order: a generation's batches, refreshes and swap. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Events per second over the batches committed in the last `windowMs`; 0 once idle that long. */
export class Throughput {
  private samples: Array<{ startedAt: number; endedAt: number; events: number }> = [];

  constructor(private readonly windowMs = 10_000) {}

  record(events: number, startedAt: number, endedAt: number): void {
    this.samples.push({ startedAt, endedAt, events });
  }

  rate(now: number): number {
    this.samples = this.samples.filter((sample) => sample.endedAt >= now - this.windowMs);
    if (this.samples.length === 0) return 0;
    const events = this.samples.reduce((sum, sample) => sum + sample.events, 0);
    const seconds = Math.max((now - this.samples[0]!.startedAt) / 1000, 0.001);
    return Math.round((events / seconds) * 10) / 10;
  }
}
