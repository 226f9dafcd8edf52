import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The built processes, as `npm start` and the Dockerfile run them: configuration errors stop
 * them before Nest boots, and SIGTERM shuts them down cleanly. Builds first, since CI runs
 * the tests on a clean checkout.
 */
const ROOT = join(__dirname, '..');
const entry = (app: string) => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  output(): string;
}

/** Only what the test sets: a developer's or CI's own DATABASE_URL must not leak in. */
function start(app: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [entry(app)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exited, output: () => stdout };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForOutput(running: Running, pattern: RegExp, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pattern.test(running.output())) {
    if (Date.now() > deadline || running.child.exitCode !== null) throw new Error(`never logged ${pattern}:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const messagesOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg?: string }).msg);

describe('the built processes', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
  });

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
});
