const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `done` holds for its answer; the machine is shared, so deadlines are generous. */
export async function eventually<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await sleep(250);
  }
  throw new Error(`${what}: not reached within ${ms} ms; last value ${JSON.stringify(last)}${lastError ? `, last error ${String(lastError)}` : ''}`);
}
