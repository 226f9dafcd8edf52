import { isTransientDatabaseError } from '../runner/runner-errors';

const TRANSIENT = { firstMs: 200, maxMs: 30_000 };
const PERSISTENT = { firstMs: 1_000, maxMs: 60_000 };

/**
 * How long a generation waits before its runner starts again after failing: short while the
 * database is away (it usually comes back), longer for an error retrying cannot obviously fix
 * (it might: a fixed upcaster, a dropped constraint), doubling each time, reset by a batch.
 */
export class RestartBackoff {
  private readonly failures = new Map<number, number>();

  next(generation: number, error: unknown): number {
    const count = (this.failures.get(generation) ?? 0) + 1;
    this.failures.set(generation, count);
    const { firstMs, maxMs } = isTransientDatabaseError(error) ? TRANSIENT : PERSISTENT;
    return Math.min(firstMs * 2 ** (count - 1), maxMs);
  }

  reset(generation: number): void {
    this.failures.delete(generation);
  }
}
