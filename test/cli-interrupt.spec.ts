import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generatePortfolio, seedPortfolio } from '@ahe/demo';
import { openDatabase } from '@ahe/database';
import { openEventStore } from '@ahe/event-store';
import { buildOnce, ROOT, within, type Exit } from './support/child-processes';

jest.setTimeout(240_000);

const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

/**
 * `ahe` as built, in a process of its own, stopped by a real signal once the command has taken
 * over Ctrl-C: a preloaded module says so on stderr when the command's handler is installed.
 */
describe('ahe stopped by Ctrl-C or SIGTERM', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-interrupt-'));
  const marker = join(work, 'mark-interrupt-handler.js');
  const HANDLED = '[interrupt handler installed]';

  beforeAll(() => {
    buildOnce();
    writeFileSync(marker, `
      const on = process.on;
      process.on = function (event, listener) {
        const result = on.call(this, event, listener);
        if (event === 'SIGINT' && listener.name === 'interrupt') process.stderr.write(${JSON.stringify(`${HANDLED}\n`)});
        return result;
      };`);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** Runs `ahe args` on DATA_DIR, sends `signal` (if any) `delayMs` after the handler is in place, and waits for the exit. */
  async function interrupted(dataDir: string, signal: NodeJS.Signals | null, delayMs: number, ...args: string[]): Promise<Exit> {
    const child = spawn(process.execPath, ['-r', marker, CLI, ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && signal !== null && stderr.includes(HANDLED)) {
        sent = true;
        setTimeout(() => child.kill(signal), delayMs);
      }
    });
    return within(new Promise((resolve) => child.on('close', (code, exitSignal) => resolve({ code, signal: exitSignal, stdout, stderr }))), 120_000, `ahe ${args[0]}`);
  }

  /** The serving generation of account_health and the rows its view shows. */
  async function servingHealth(dataDir: string): Promise<{ generation: number; rows: number }> {
    const sql = await openDatabase({ kind: 'embedded', dataDir });
    try {
      const { rows: [serving] } = await sql.query<{ generation: number }>(
        `SELECT generation FROM projection_generations WHERE name = 'account_health' AND status = 'serving'`);
      const { rows: [counted] } = await sql.query<{ rows: number }>('SELECT count(*)::int AS rows FROM account_health');
      return { generation: serving!.generation, rows: counted!.rows };
    } finally {
      await sql.close();
    }
  }

  async function eventsIn(dataDir: string): Promise<number> {
    const store = await openEventStore({ kind: 'embedded', dataDir });
    try {
      const { events } = await store.readAll({ limit: 10 });
      return events.length;
    } finally {
      await store.close();
    }
  }

  it('rolls an import back whole when it is stopped half-way, exits 130 and leaves the store to be opened again', async () => {
    const file = join(work, 'big.ndjson');
    function* lines(): Generator<string> {
      for (const line of generatePortfolio({ accounts: 3_000, years: 2, seed: 11 })) yield `${JSON.stringify(line)}\n`;
    }
    await pipeline(Readable.from(lines()), createWriteStream(file));
    const dataDir = join(work, 'import');
    // The handler is in place before the store opens (PGlite boots in about a second), the import some seconds after.
    const exit = await interrupted(dataDir, 'SIGINT', 2_500, 'import', file);
    expect(exit.stderr).toContain('Stopping the import: nothing of it will be stored (Ctrl-C again to quit at once)');
    expect(exit.stderr).toContain('Import interrupted by SIGINT: nothing was appended.');
    expect([exit.code, exit.signal]).toEqual([130, null]);
    expect(exit.stdout).toBe('');
    expect(await eventsIn(dataDir)).toBe(0);
  });

  it('stops a seed on SIGTERM the same way', async () => {
    const dataDir = join(work, 'seed');
    const exit = await interrupted(dataDir, 'SIGTERM', 0, 'seed', '--accounts', '2000', '--years', '2');
    expect(exit.stderr).toContain('Import interrupted by SIGTERM: nothing was appended.');
    expect([exit.code, exit.signal]).toEqual([130, null]);
    expect(await eventsIn(dataDir)).toBe(0);
  });

  describe('on a store with events', () => {
    const dataDir = join(work, 'seeded');

    beforeAll(async () => {
      const store = await openEventStore({ kind: 'embedded', dataDir });
      try {
        await seedPortfolio(store, { accounts: 1_500, years: 1, seed: 12 });
      } finally {
        await store.close();
      }
    });

    it('stops a verification between streams, telling how far it got', async () => {
      const exit = await interrupted(dataDir, 'SIGINT', 0, 'verify');
      expect([exit.code, exit.signal]).toEqual([130, null]);
      const walked = /Interrupted\. Verified ([\d,]+) streams?, [\d,]+ events?: every hash chain is intact, in the streams walked so far\./.exec(exit.stderr);
      expect(walked).not.toBeNull();
      expect(Number(walked![1]!.replaceAll(',', ''))).toBeLessThan(1_500);
    });

    it('stops a rebuild, the serving generation left serving as it was', async () => {
      const built = await interrupted(dataDir, null, 0, 'rebuild', 'account_health');
      expect([built.code, built.stderr]).toEqual([0, expect.stringContaining(HANDLED)]);
      const before = await servingHealth(dataDir);
      expect(before.rows).toBe(1_500);

      const exit = await interrupted(dataDir, 'SIGINT', 300, 'rebuild', 'account_health');
      expect(exit.stderr).toContain('Rebuild of account_health interrupted by SIGINT: the serving generation keeps serving.');
      expect([exit.code, exit.signal]).toEqual([130, null]);
      expect(exit.stdout).toBe('');
      expect(await servingHealth(dataDir)).toEqual(before);
    });
  });
});
