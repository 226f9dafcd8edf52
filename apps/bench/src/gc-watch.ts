import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** A process's garbage collections over one run. */
export interface GcTally {
  /** Mark-compacts: tens of ms of incremental marking, its helper threads on the same cores. */
  readonly markCompacts: number;
  /** Scavenges: each stops the thread for as long as it copies the young generation's survivors. */
  readonly scavenges: { readonly count: number; readonly totalMs: number; readonly maxMs: number };
}

/**
 * Counts this process's collections from `restart()` on. Node queues a collection's entry in
 * one immediate and hands it to observers in another: `settled()` waits two turns and takes
 * whatever is still queued before reading the counts.
 */
export class GcWatch {
  private since = 0;
  private majors = 0;
  private minors = { count: 0, totalMs: 0, maxMs: 0 };
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.count(entry);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  restart(): void {
    this.since = performance.now();
    this.majors = 0;
    this.minors = { count: 0, totalMs: 0, maxMs: 0 };
  }

  async settled(): Promise<GcTally> {
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    for (const entry of this.observer.takeRecords()) this.count(entry);
    return { markCompacts: this.majors, scavenges: this.minors };
  }

  close(): void {
    this.observer.disconnect();
  }

  private count(entry: PerformanceEntry): void {
    if (entry.startTime < this.since) return;
    const kind = gcKindOf(entry);
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) this.majors += 1;
    else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      this.minors = { count: this.minors.count + 1, totalMs: this.minors.totalMs + entry.duration, maxMs: Math.max(this.minors.maxMs, entry.duration) };
    }
  }
}

/** A gc entry's kind (major, minor, …): in `detail` since Node 16, which these typings do not declare. */
const gcKindOf = (entry: PerformanceEntry): number | undefined => (entry as PerformanceEntry & { readonly detail?: { readonly kind?: number } }).detail?.kind;
