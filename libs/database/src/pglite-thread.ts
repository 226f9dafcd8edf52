import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PgliteHandle, PgliteQueryOptions, PgliteSession } from './pglite-handle';
import { withJsonParsed, type ThreadRows } from './pglite-thread-rows';

interface Call {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  /** A transaction's `begin` is answered first when it is open, then when it has ended. */
  readonly begun?: () => void;
}

type Reply =
  | { readonly id: number; readonly begun: true }
  | { readonly id: number; readonly result?: unknown; readonly error?: ErrorFields }
  | { readonly notify: number; readonly payload: string };

interface ErrorFields {
  readonly message: string;
  readonly [field: string]: unknown;
}

/**
 * PGlite on a worker thread of its own (pglite-thread.worker.js), spoken to by messages. The
 * database's work (every statement runs synchronously inside PGlite) then no longer holds the
 * caller's event loop, and the process uses a second core: the caller goes on serving requests
 * and folding events while a statement runs. Rows and parameters cross by structured clone
 * (dates, big integers and byte arrays keep their types); errors keep PostgreSQL's fields.
 * A transaction stays open on the thread while the caller's work runs, as PGlite's own does
 * on one thread: other statements wait for it. The thread holds the process open only while
 * something waits on it.
 */
export class PgliteThread implements PgliteHandle {
  private readonly calls = new Map<number, Call>();
  private readonly listeners = new Map<number, (payload: string) => void>();
  private nextId = 1;
  private stopped: Error | undefined;
  /** Set by the first close(): from then on new statements are refused and later calls share it. */
  private closing: Promise<void> | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => this.receive(reply));
    worker.on('error', (error) => this.stop(new Error(`the embedded database's thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.stop(new Error(`the embedded database's thread exited (code ${code})`)));
    // Which call it answered is unknown: every pending one fails rather than waiting for ever.
    worker.on('messageerror', (error) => {
      this.stop(new Error(`a message from the embedded database's thread could not be read: ${error.message}`, { cause: error }));
      void worker.terminate();
    });
    worker.unref();
  }

  /** `image`: the tarball of a new cluster to start a new database from (copied to the thread). */
  static open(dataDir: string | null, image?: Uint8Array): Promise<PgliteThread> {
    const worker = new Worker(join(__dirname, 'pglite-thread.worker.js'), {
      workerData: { dataDir, image, pglite: require.resolve('@electric-sql/pglite') },
    });
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        settle();
        worker.on('error', () => undefined); // an error while it ends must not become an uncaught one here
        // Once the thread has stopped, so nothing it started still writes the data folder.
        void worker.terminate().finally(() => reject(error));
      };
      const exited = (code: number) => fail(new Error(`the embedded database's thread exited while opening (code ${code})`));
      const opened = (first: { ready?: true; failed?: ErrorFields }) => {
        if (first.failed) return fail(asError(first.failed));
        settle();
        resolve(new PgliteThread(worker));
      };
      // Not removeAllListeners: the worker's own listeners manage its message port.
      const settle = () => worker.off('error', fail).off('exit', exited).off('message', opened);
      worker.on('error', fail).on('exit', exited).on('message', opened);
    });
  }

  get closed(): boolean {
    return this.closing !== undefined || this.stopped !== undefined;
  }

  async query<Row>(text: string, params: readonly unknown[], { copy, name }: PgliteQueryOptions = {}, tx?: number): Promise<{ rows: Row[]; affectedRows: number }> {
    return withJsonParsed<Row>((await this.request({ op: 'query', text, params, copy, name, tx })) as ThreadRows);
  }

  async exec(script: string, tx?: number): Promise<void> {
    await this.request({ op: 'exec', script, tx });
  }

  async transaction<T>(work: (tx: PgliteSession) => Promise<T>): Promise<T> {
    const id = this.nextId++;
    let begun!: () => void;
    const open = new Promise<void>((resolve) => (begun = resolve));
    const ended = this.request({ op: 'begin' }, id, begun);
    await Promise.race([open, ended]);
    let result: T;
    try {
      result = await work({
        query: (text, params, options) => this.query(text, params, options, id),
        exec: (script) => this.exec(script, id),
      });
    } catch (error) {
      this.post({ op: 'end', tx: id, commit: false });
      await ended.catch(() => undefined);
      throw error;
    }
    this.post({ op: 'end', tx: id, commit: true });
    await ended;
    return result;
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const id = this.nextId++;
    this.listeners.set(id, onNotify);
    try {
      await this.request({ op: 'listen', channel }, id);
    } catch (error) {
      this.listeners.delete(id);
      throw error;
    }
    return async () => {
      if (!this.listeners.delete(id) || this.closed) return;
      await this.request({ op: 'unlisten', listener: id });
    };
  }

  close(): Promise<void> {
    return (this.closing ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    try {
      if (!this.stopped) await this.send({ op: 'close' });
    } finally {
      this.listeners.clear();
      await this.worker.terminate();
    }
  }

  private request(message: Record<string, unknown>, id = this.nextId++, begun?: () => void): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (this.closing) return Promise.reject(new Error('the embedded database is closed'));
    return this.send(message, id, begun);
  }

  private send(message: Record<string, unknown>, id = this.nextId++, begun?: () => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject, begun });
      try {
        this.worker.postMessage({ id, ...message });
      } catch (error) {
        // A parameter that cannot be cloned (a function, a class PGlite could not send either).
        this.calls.delete(id);
        reject(error as Error);
      }
      this.holdWhileWaited();
    });
  }

  /** A transaction's end still goes out while closing: the thread's close waits for open transactions. */
  private post(message: Record<string, unknown>): void {
    if (!this.stopped) this.worker.postMessage(message);
  }

  private receive(reply: Reply): void {
    if ('notify' in reply) return this.listeners.get(reply.notify)?.(reply.payload);
    const call = this.calls.get(reply.id);
    if (!call) return;
    if ('begun' in reply) return call.begun?.();
    this.calls.delete(reply.id);
    this.holdWhileWaited();
    if (reply.error) call.reject(asError(reply.error));
    else call.resolve(reply.result);
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = this.closing ? new Error('the embedded database is closed') : reason;
    for (const call of this.calls.values()) call.reject(this.stopped);
    this.calls.clear();
    this.listeners.clear();
  }

  /** Referenced while a call is pending (an open transaction included), so a process waiting only on it still waits. */
  private holdWhileWaited(): void {
    if (this.calls.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}

/** An error as the caller's code expects PGlite's: PostgreSQL's fields (code, constraint, detail…) as own properties. */
function asError({ message, stack: _threadStack, ...fields }: ErrorFields): Error {
  return Object.assign(new Error(message), fields);
}
