import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { DatabaseTimeoutError, isDatabaseUnavailable } from './database-unavailable';
import { isConnectionFailure } from './describe-failure';
import { PgPoolClient } from './pg-pool.client';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A server that accepts TCP and never says a word: node-postgres's default is to wait for ever. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/test`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('PgPoolClient when PostgreSQL does not answer', () => {
  it('fails a statement whose connection does not open within the connect timeout, as a connection failure', async () => {
    const silent = await silentServer();
    const sql = new PgPoolClient({ connectionString: silent.url, connectTimeoutMs: 300, onError: () => undefined });
    try {
      const failure = await sql.query('SELECT 1').then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseTimeoutError);
      expect(failure).toMatchObject({ reason: 'connect', code: 'ETIMEDOUT', message: 'PostgreSQL did not answer a new connection within 300 ms' });
      expect(isConnectionFailure(failure)).toBe(true);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      await expect(sql.transaction((tx) => tx.query('SELECT 1'))).rejects.toMatchObject({ reason: 'connect' });
    } finally {
      await sql.close();
      await silent.close();
    }
  }, 20_000);

  it('fails a statement that waits longer than the timeout for a busy pool, and serves the next once a connection is free', async () => {
    const sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 1, connectTimeoutMs: 2_000 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    try {
      const holding = sql.transaction(async (tx) => {
        await tx.query('SELECT 1');
        await held;
      });
      const failure = await sql.query('SELECT 2').then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(DatabaseTimeoutError);
      expect(failure).toMatchObject({ reason: 'pool', code: 'POOL_EXHAUSTED', message: "none of the pool's 1 PostgreSQL connections came free within 2000 ms" });
      expect(isConnectionFailure(failure)).toBe(false);
      expect(isDatabaseUnavailable(failure)).toBe(true);
      release();
      await holding;
      await expect(sql.query<{ n: number }>('SELECT 3 AS n')).resolves.toEqual({ rows: [{ n: 3 }] });
    } finally {
      release();
      await sql.close();
    }
  }, 20_000);
});

const DEDICATED_TIMEOUT_MS = 300;

/** The error `work` fails with; a connection that waited for ever would fail the test by its timeout instead. */
const failureOf = (work: () => Promise<unknown>): Promise<unknown> => work().then(() => undefined, (error: unknown) => error);

/** A URL whose port nothing listens on: the connection is refused at once. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `postgres://postgres@127.0.0.1:${port}/test`;
}

const listenOn = (sql: PgPoolClient) => sql.listen(`ahe_timeout_spec_${process.pid}`, () => undefined);
const lockOn = (sql: PgPoolClient) => sql.tryAdvisoryLock(BigInt(randomInt(1, 2 ** 47)) * -1n);

describe("PgPoolClient's dedicated LISTEN and advisory-lock connections", () => {
  it.each([
    ['LISTEN', listenOn],
    ['advisory locks', lockOn],
  ])('fail the connection for %s that does not open within the connect timeout, as a connection failure', async (connectingFor, open) => {
    const silent = await silentServer();
    const password = 'not-for-the-log';
    const connectionString = silent.url.replace('postgres@', `postgres:${password}@`);
    const sql = new PgPoolClient({ connectionString, connectTimeoutMs: DEDICATED_TIMEOUT_MS, onError: () => undefined });
    try {
      const failure = await failureOf(() => open(sql));
      expect(failure).toBeInstanceOf(DatabaseTimeoutError);
      expect(failure).toMatchObject({ reason: 'connect', code: 'ETIMEDOUT', message: `PostgreSQL did not answer a new connection for ${connectingFor} within ${DEDICATED_TIMEOUT_MS} ms` });
      expect((failure as Error).message).not.toContain(password);
      expect(isConnectionFailure(failure)).toBe(true);
      expect(isDatabaseUnavailable(failure)).toBe(true);
    } finally {
      await sql.close();
      await silent.close();
    }
  }, 20_000);

  it.each([
    ['a refused connection', refusingUrl, 'ECONNREFUSED'],
    ['a login the server rejects', async () => 'postgres://ahe_no_such_role@127.0.0.1:5432/test', '28000'],
  ])('fail %s with node-postgres\'s own error, as before', async (_, url, code) => {
    const sql = new PgPoolClient({ connectionString: await url(), connectTimeoutMs: DEDICATED_TIMEOUT_MS, onError: () => undefined });
    try {
      for (const open of [listenOn, lockOn]) {
        const failure = await failureOf(() => open(sql));
        expect(failure).not.toBeInstanceOf(DatabaseTimeoutError);
        expect(failure).toMatchObject({ code });
      }
    } finally {
      await sql.close();
    }
  }, 20_000);

  it('listen and lock as before on a PostgreSQL that answers', async () => {
    const sql = new PgPoolClient({ connectionString: TEST_DATABASE_URL, poolSize: 1, connectTimeoutMs: 2_000 });
    try {
      const channel = `ahe_timeout_spec_answered_${process.pid}`;
      const woken: string[] = [];
      const stop = await sql.listen(channel, (payload) => woken.push(payload));
      await sql.query('SELECT pg_notify($1, $2)', [channel, 'hello']);
      for (const deadline = Date.now() + 5_000; woken.length === 0 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(woken).toEqual(['hello']);
      await stop();
      const lease = await lockOn(sql);
      expect(lease?.held).toBe(true);
      await lease!.release();
    } finally {
      await sql.close();
    }
  }, 20_000);
});

describe('isDatabaseUnavailable', () => {
  const withCode = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting', withCode('the database system is starting up', '57P03')],
    ['a connection exception', withCode('connection failure', '08006')],
    ['too many connections', withCode('sorry, too many clients already', '53300')],
    ['a socket closed by the server', withCode('Connection terminated unexpectedly')],
  ])('is true for %s', (_, error) => expect(isDatabaseUnavailable(error)).toBe(true));

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a protocol violation, a client bug', withCode('insufficient data left in message', '08P01')],
    ['a plain error', new Error('boom')],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => expect(isDatabaseUnavailable(error)).toBe(false));
});
