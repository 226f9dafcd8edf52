/** The run was asked to stop (Ctrl-C); the scratch tables are dropped all the same. */
export class ReplayInterruptedError extends Error {
  override readonly name = 'ReplayInterruptedError';

  constructor() {
    super('interrupted: the replay stopped and its scratch tables were dropped');
  }
}

/** Another verification holds the schema's scratch tables. */
export class ReplayVerifyBusyError extends Error {
  override readonly name = 'ReplayVerifyBusyError';

  constructor(schema: string) {
    super(`another replay --verify is running on schema ${schema}; wait for it to end`);
  }
}

/**
 * Called between steps: a stop request takes effect at the next batch, never inside one. Lets
 * the event loop turn first: PGlite answers without leaving the microtask queue, and a signal
 * (Ctrl-C) is only delivered to its listener from the loop.
 */
export async function stopIfAsked(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (signal?.aborted) throw new ReplayInterruptedError();
}
