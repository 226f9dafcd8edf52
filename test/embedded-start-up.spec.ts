import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '@ahe/event-store';
import { buildOnce, freePort, start, waitForOutput, within, type Running } from './support/child-processes';

jest.setTimeout(120_000);

/**
 * The built API on the embedded store, as the Dockerfile runs it, around its data folder's lock:
 * a lock left by a killed predecessor with the same pid (PID 1 in a container) is taken over, and
 * a stop or a failure before the API listens closes what start-up opened, so the folder is left
 * unlocked and opens again. Builds first, as CI runs the tests on a clean checkout.
 */
describe('the api on an embedded data folder, before it listens', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-start-up-'));
  let round = 0;
  let dataDir: string;
  let lockFile: string;

  beforeAll(buildOnce);
  beforeEach(() => {
    dataDir = join(work, `data-${++round}`);
    lockFile = join(dataDir, 'pglite.lock');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const startApi = async (env: Record<string, string>): Promise<Running> =>
    start('api', { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(await freePort()), SHUTDOWN_TIMEOUT_MS: '10000', ...env });

  /** Events in the folder's store; opening it at all shows the lock is gone. */
  async function eventsIn(folder: string): Promise<number> {
    const store = await openEventStore({ kind: 'embedded', dataDir: folder });
    try {
      return (await store.readAll({ limit: 1 })).events.length;
    } finally {
      await store.close();
    }
  }

  async function lockAppears(api: Running): Promise<void> {
    while (!existsSync(lockFile)) {
      if (api.child.exitCode !== null) throw new Error(`exited before taking the lock:\n${api.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // Run before the API by node's --require, so the lock names the very process that then opens the folder.
  it.each([
    ['a bare pid, as older builds write', 'String(process.pid)'],
    ['a start time before its own', `JSON.stringify({ pid: process.pid, startTime: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) - 1 })`],
  ])('starts on a lock naming its own pid that a killed predecessor left: %s', async (_, content) => {
    const predecessor = join(work, `predecessor-${round}.js`);
    // Node preloads it in worker threads too: only the main one is the predecessor's stand-in.
    writeFileSync(predecessor, `
      const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
      const stat = readFileSync('/proc/self/stat', 'utf8');
      if (require('node:worker_threads').isMainThread) {
        mkdirSync(${JSON.stringify(dataDir)}, { recursive: true });
        writeFileSync(${JSON.stringify(lockFile)}, ${content});
      }`);
    const api = await startApi({ NODE_OPTIONS: `--require ${predecessor}` });
    await waitForOutput(api, /"msg":"Listening on /, 60_000);
    api.child.kill('SIGTERM');
    expect(await within(api.exited, 10_000, 'shutdown after SIGTERM')).toMatchObject({ code: 0, signal: null });
    expect(existsSync(lockFile)).toBe(false);
  });

  // A store still opening is closed once open: that wait is PGlite's, a few seconds on a busy machine.
  it.each([
    ['while the store opens', lockAppears, 30_000],
    ['while DEMO=1 seeds', (api: Running) => waitForOutput(api, /"msg":"DEMO is set and the store is empty: seeding /, 60_000), 20_000],
  ])('exits 0 promptly on SIGTERM %s, logging one line, a repeated signal ignored, and leaves the folder unlocked and unseeded', async (_, reached, promptly) => {
    const api = await startApi({ DEMO: '1', DEMO_ACCOUNTS: '5000' });
    await reached(api);
    expect(existsSync(lockFile)).toBe(true);

    api.child.kill('SIGTERM');
    setTimeout(() => api.child.kill('SIGTERM'), 50);
    const exit = await within(api.exited, promptly, 'exit after SIGTERM during start-up');

    expect(exit).toMatchObject({ code: 0, signal: null });
    const lines = exit.stdout.trimEnd().split('\n');
    const stop = lines.findIndex((line) => line.includes('SIGTERM received during start-up: stopping it and closing the store'));
    expect(stop).toBeGreaterThanOrEqual(0);
    // What start-up was doing fails as the store closes under it: that is not reported.
    expect(lines.slice(stop + 1)).toEqual([expect.stringContaining('Stopped, exit code 0')]);
    expect(exit.stderr).toBe('');
    expect(existsSync(lockFile)).toBe(false);
    // The seeding's one transaction rolled back: a later DEMO=1 start seeds the portfolio whole.
    expect(await eventsIn(dataDir)).toBe(0);
  });

  it('exits 1 naming the failure when a module fails to start after the store opened, and leaves the folder unlocked', async () => {
    const rules = join(work, 'escalation-rules.json');
    writeFileSync(rules, '{ "rules": [');
    const api = await startApi({ ESCALATION_RULES_FILE: rules });

    const exit = await within(api.exited, 60_000, 'api with invalid escalation rules');

    expect(exit).toMatchObject({ code: 1, signal: null });
    // One line the operator can act on, naming the variable, and no stack: a bad file is not a bug.
    expect(exit.stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^Failed to start api: ${rules.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not JSON: .* \\(check ESCALATION_RULES_FILE\\)$`));
    expect(exit.stderr).not.toMatch(/^\s+at /m);
    // Nest's own lines while it built the application, its exception handler's included, are JSON like every other.
    const lines = exit.stdout.trimEnd().split('\n');
    expect(lines.every((line) => line.startsWith('{'))).toBe(true);
    expect(lines.map((line) => JSON.parse(line) as { context?: string; level: string })).toContainEqual(expect.objectContaining({ context: 'ExceptionHandler', level: 'error' }));
    expect(existsSync(lockFile)).toBe(false);
    expect(await eventsIn(dataDir)).toBe(0);
  });
});
