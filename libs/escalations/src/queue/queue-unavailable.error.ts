/**
 * The queue's backing store did not take the jobs in time (Redis down, paused or overloaded).
 * Transient: the caller keeps its checkpoint and enqueues the same jobs again later, and
 * deterministic ids make an add that landed late anyway harmless.
 */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  readonly transient = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Rejects with QueueUnavailableError when `work` has not settled within `timeoutMs`. */
export async function withinDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`${what}: Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  // The late outcome of `work` is nobody's business once the deadline has passed.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    throw new QueueUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
