import type { GenerationFailure } from './rebuild-progress';

/** A failure of the generation being built, with how many came in a row, none with a batch committed after it. */
export interface RebuildFailure extends GenerationFailure {
  readonly inARow: number;
}

/**
 * Counts the failures in a row of a generation being built, from what its owner records. Its
 * owner starts a failed generation again from its checkpoint, for ever (RunnerRestarts: a fixed
 * upcaster or a dropped constraint lets it go on); so failures with no batch committed between
 * them (the same count of events) are the same batch failing again, and the count says how
 * persistent that is. A new failure has a new time; one polled twice counts once.
 */
export class FailureStreak {
  private last: GenerationFailure | null = null;
  private count = 0;

  /** The failure with its count, when it is one not seen before; else undefined. */
  observe(failure: GenerationFailure | null): RebuildFailure | undefined {
    if (failure === null || failure.at.getTime() === this.last?.at.getTime()) return undefined;
    const again = this.last?.generation === failure.generation && this.last.eventsProcessed === failure.eventsProcessed;
    this.count = again ? this.count + 1 : 1;
    this.last = failure;
    return { ...failure, inARow: this.count };
  }
}
