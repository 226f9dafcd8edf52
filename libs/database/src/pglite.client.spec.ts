import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IN_MEMORY, PGLITE_THREADINGS, PgliteClient } from './index';

/** Settles like `promise`, or rejects naming `what` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('PgliteClient', () => {
  describe.each(PGLITE_THREADINGS)('a query on the client from inside its own transaction (PGlite on the %s thread)', (thread) => {
    let client: PgliteClient;
    let table = 0;
    /** A fresh table per test, so one test's outcome cannot leak into the next. */
    const freshTable = async () => {
      const name = `notes_${++table}`;
      await client.query(`CREATE TABLE ${name} (n int)`);
      return name;
    };
    const outcome = (work: () => Promise<unknown>) =>
      work().then(() => 'answered', (error: Error) => `rejected: ${error.message}`);
    beforeAll(async () => (client = await PgliteClient.open(IN_MEMORY, thread)));
    afterAll(() => client.close());

    it('is refused at once with an error naming the transaction, instead of deadlocking', async () => {
      const notes = await freshTable();
      const outcomes = await within(
        client.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${notes} VALUES (1)`);
          return [await outcome(() => client.query(`SELECT count(*) FROM ${notes}`)), await outcome(() => client.exec('SELECT 1'))];
        }),
        2500,
        'transaction whose callback queried the client',
      );
      for (const result of outcomes) expect(result).toMatch(/^rejected: .*transaction/i);
      // The transaction itself went on and committed; the client still answers.
      expect((await client.query<{ n: number }>(`SELECT n FROM ${notes}`)).rows).toEqual([{ n: 1 }]);
    }, 3000);

    it('refuses a nested transaction on the client the same way: a rejected promise, not a hang or a throw', async () => {
      const nested = await within(
        client.transaction(async () => {
          let result: Promise<unknown>;
          try {
            result = client.transaction(async () => undefined);
          } catch (error) {
            return `threw synchronously: ${(error as Error).message}`;
          }
          return outcome(() => result);
        }),
        2500,
        'transaction that opened another on the client',
      );
      expect(nested).toMatch(/^rejected: .*transaction/i);
    }, 3000);

    it('rolls back a callback that lets the refusal propagate, and the client stays usable', async () => {
      const notes = await freshTable();
      const attempt = client.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${notes} VALUES (2)`);
        await client.query('SELECT 1');
      });
      await expect(within(attempt, 2500, 'transaction')).rejects.toThrow(/transaction/i);
      expect((await client.query<{ n: number }>(`SELECT n FROM ${notes}`)).rows).toEqual([]);
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    }, 3000);

    it('still lets callers outside the transaction wait their turn', async () => {
      const notes = await freshTable();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const writing = client.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${notes} VALUES (3)`);
        await gate;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const outside = client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${notes}`); // not from the callback
      release();
      await within(writing, 2500, 'transaction');
      expect((await within(outside, 2500, 'query from outside the transaction')).rows).toEqual([{ count: 1 }]);
    }, 3000);

    // The LTV refit starts its fit inside a refresh's transaction and wakes its owner when done:
    // the owner's next refresh (a timer set in that context) was refused on every tick after.
    it('lets work a transaction left running use the client once the transaction has ended', async () => {
      const notes = await freshTable();
      let later!: Promise<string>;
      let timer!: Promise<string>;
      await client.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${notes} VALUES (4)`);
        const ended = new Promise((resolve) => setTimeout(resolve, 20));
        later = ended.then(() => outcome(() => client.query(`SELECT count(*) FROM ${notes}`)));
        timer = new Promise((resolve) => setTimeout(() => void outcome(() => client.transaction((inner) => inner.query('SELECT 1'))).then(resolve), 40));
      });
      expect(await within(later, 2500, 'query after the transaction')).toBe('answered');
      expect(await within(timer, 2500, 'transaction from a timer set inside one')).toBe('answered');
    }, 3000);
  });

  describe('the data folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'ahe-pglite-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('is refused to a second open while in use, naming the folder; reopens after close()', async () => {
      const dir = join(root, 'shared');
      const first = await PgliteClient.open(dir);
      try {
        await first.query('CREATE TABLE kept (n int)');
        await first.query('INSERT INTO kept VALUES (7)');
        for (let attempt = 0; attempt < 2; attempt++) {
          const second = PgliteClient.open(dir);
          await expect(second).rejects.toThrow(/in use/);
          await expect(second).rejects.toThrow(dir);
        }
        // The refused opens left the first one's claim and database alone.
        expect((await first.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
      } finally {
        await first.close();
      }
      const reopened = await PgliteClient.open(dir);
      try {
        expect((await reopened.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 7 }]);
        await expect(PgliteClient.open(dir)).rejects.toThrow(/in use/);
      } finally {
        await reopened.close();
      }
    });

    it('is not blocked by a stale lock file left by a process that has died', async () => {
      const dir = join(root, 'stale');
      const lockFile = join(dir, 'pglite.lock');
      const deadPid = 999_999;
      expect(isAlive(deadPid)).toBe(false);

      // Once on a folder that was never opened, once on one that holds a database.
      for (const round of ['fresh', 'existing']) {
        if (round === 'fresh') expect(existsSync(dir)).toBe(false);
        mkdirSync(dir, { recursive: true });
        writeFileSync(lockFile, String(deadPid));
        const client = await PgliteClient.open(dir);
        try {
          expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(process.pid);
          await client.query('CREATE TABLE IF NOT EXISTS seen (round text)');
          await client.query('INSERT INTO seen VALUES ($1)', [round]);
          expect((await client.query<{ round: string }>('SELECT round FROM seen')).rows.map((row) => row.round)).toContain(round);
          await expect(PgliteClient.open(dir)).rejects.toThrow(/in use/);
        } finally {
          await client.close();
        }
      }
    });
  });
});
