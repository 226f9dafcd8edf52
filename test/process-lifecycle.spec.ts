import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from './api/api-harness';
import { buildOnce, freePort, start, waitForOutput, within } from './support/child-processes';
import { dropQueuePrefix, freshQueuePrefix, TEST_REDIS_URL } from './support/redis-test-prefix';

/**
 * The built processes, as `npm start` and the Dockerfile run them: configuration errors stop
 * them before Nest boots, and SIGTERM shuts them down cleanly. Builds first, since CI runs
 * the tests on a clean checkout.
 */
const messagesOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg?: string }).msg);

describe('the built processes', () => {
  beforeAll(buildOnce);

  it.each([
    ['api', { PORT: 'abc' }, 'Invalid configuration: PORT must be an integer between 1 and 65535 (got "abc")'],
    ['api', { LOG_LEVEL: 'chatty', API_KEYS: 'writer:k1,guest:k2' }, 'API_KEYS entry 2 has unknown role "guest"'],
    ['api', { EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false' }, 'EVENTSTORE_CONNECTION_STRING is set without DATABASE_URL'],
    ['projector', { DATA_DIR: ':memory:' }, 'DATABASE_URL is not set, but the projector process runs in server mode only'],
    ['escalations', {}, 'DATABASE_URL is not set, but the escalations process runs in server mode only'],
  ])('%s exits 1 before Nest boots when started with %j', async (app, env, expected) => {
    const exit = await within(start(app, env).exited, 30_000, app);
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain(expected);
    expect(exit.stdout).toBe('');
  });

  it('api exits 1, its last line naming the setting to check, when the database refuses it or the port is taken', async () => {
    const refused = await within(start('api', { DATABASE_URL: 'postgres://postgres@localhost:1/test', HOST: '127.0.0.1', PORT: String(await freePort()) }).exited, 30_000, 'api');
    expect(refused.code).toBe(1);
    // Nest's own exception handler logs the error with its stack, as JSON on standard output.
    expect(refused.stderr.trimEnd().split('\n').at(-1)).toMatch(/^Failed to start api: .*ECONNREFUSED.* \(a server did not accept the connection: check DATABASE_URL\)$/);

    const port = await freePort();
    const first = start('api', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: ':memory:' });
    try {
      await waitForOutput(first, /"msg":"Listening on /, 60_000);
      const taken = await within(start('api', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: ':memory:' }).exited, 30_000, 'second api');
      expect(taken.code).toBe(1);
      expect(taken.stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^Failed to start api: .*EADDRINUSE.* \\(cannot listen on HOST 127\\.0\\.0\\.1, PORT ${port}\\)$`));
    } finally {
      first.child.kill('SIGTERM');
      await within(first.exited, 30_000, 'first api');
    }
  });

  it('api exits 1 naming DATABASE_URL when PostgreSQL accepts the connection and never answers, instead of hanging', async () => {
    const silent = createServer((socket) => void silentSockets.add(socket));
    const silentSockets = new Set<Socket>();
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const env = { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`, DATABASE_CONNECT_TIMEOUT_MS: '500', HOST: '127.0.0.1', PORT: String(await freePort()) };
      const hung = await within(start('api', env).exited, 30_000, 'api');
      expect(hung.code).toBe(1);
      expect(hung.stderr.trimEnd().split('\n').at(-1)).toBe(
        'Failed to start api: PostgreSQL did not answer a new connection within 500 ms (a server did not accept the connection: check DATABASE_URL)',
      );
    } finally {
      for (const socket of silentSockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('api shuts down on SIGTERM: drains, closes the store, exits 0', async () => {
    const port = await freePort();
    const api = start('api', { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: ':memory:', SHUTDOWN_TIMEOUT_MS: '5000' });
    await waitForOutput(api, /"msg":"Listening on /, 60_000);
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);

    api.child.kill('SIGTERM');
    const exit = await within(api.exited, 5_000, 'shutdown after SIGTERM');

    expect(exit).toMatchObject({ code: 0, signal: null });
    const messages = messagesOf(exit.stdout);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Event store open: embedded PGlite, in memory/),
        expect.stringMatching(/^API_KEYS is empty: the API is OPEN/),
        expect.stringMatching(/^SIGTERM received: draining HTTP requests/),
        'Event store closed',
      ]),
    );
    expect(messages.at(-1)).toBe('Stopped, exit code 0');
  });

  it('escalations (server mode, BullMQ) starts its process manager and workers, and closes them on SIGTERM', async () => {
    const port = await freePort();
    const schema = `life_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const prefix = freshQueuePrefix('life');
    try {
      const escalations = start('escalations', {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: TEST_DATABASE_URL,
        DATABASE_SCHEMA: schema,
        REDIS_URL: TEST_REDIS_URL,
        ESCALATION_QUEUE_PREFIX: prefix,
        SHUTDOWN_TIMEOUT_MS: '5000',
      });
      await waitForOutput(escalations, /Projection engine started; running here: escalation_watch/, 60_000);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(await ready.text()).toContain('redis');

      escalations.child.kill('SIGTERM');
      const exit = await within(escalations.exited, 10_000, 'shutdown after SIGTERM');
      expect(exit).toMatchObject({ code: 0, signal: null });
      const messages = messagesOf(exit.stdout);
      expect(messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Escalation queues on Redis \(BullMQ, prefix life-/),
          expect.stringMatching(/^Escalation workers started/),
          'Projection engine stopped',
          'Escalation queues closed',
        ]),
      );
      expect(messages.indexOf('Projection engine stopped')).toBeLessThan(messages.indexOf('Escalation queues closed'));
      expect(messages.indexOf('Escalation queues closed')).toBeLessThan(messages.indexOf('Database closed'));
    } finally {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
      await dropQueuePrefix(prefix);
    }
  });
});
