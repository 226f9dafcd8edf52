import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type SqlClient } from '@ahe/database';
import { existingScratchTables } from '@ahe/projections';
import type { RunningApi } from './api/api-harness';
import { startQueriesApi } from './api/queries/queries-harness';
import { ahe, DEFINITIONS, expectIdentical, expectTamperingNamed, seed, tamper } from './replay-verify.harness';

jest.setTimeout(240_000);

describe('ahe replay --verify on the embedded store', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-replay-'));
  const env = { DATA_DIR: join(work, 'data') };
  let api: RunningApi | undefined;
  let parkedEventId: string;

  const withDatabase = async <T>(work: (sql: SqlClient) => Promise<T>): Promise<T> => {
    const sql = await openDatabase({ kind: 'embedded', dataDir: env.DATA_DIR });
    try {
      return await work(sql);
    } finally {
      await sql.close();
    }
  };

  beforeAll(async () => {
    api = await startQueriesApi('embedded', env);
    parkedEventId = await seed(api!);
  });
  afterAll(async () => {
    await api?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses while the server owns the data folder, as every command on it does', async () => {
    const run = await ahe(env, 'replay', '--verify');
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/Replay failed, nothing was verified: the data folder .* is in use by process \d+/);
  });

  it('once the server is stopped, reports every projection identical and exits 0', async () => {
    await api!.close();
    api = undefined;
    const started = performance.now();
    const run = await ahe(env, 'replay', '--verify');
    console.log(`replay --verify of 20 accounts × 1 year embedded: ${((performance.now() - started) / 1000).toFixed(2)} s in all\n${run.stdout}`);
    expectIdentical(run, parkedEventId);
    expect(await withDatabase((sql) => existingScratchTables(sql, DEFINITIONS))).toEqual([]);
  });

  it('exits 1 naming the rows changed behind the engine, and drops its scratch tables', async () => {
    const tampered = await withDatabase(tamper);
    const run = await ahe(env, 'replay', '--verify');
    expectTamperingNamed(run, tampered);
    expect(await withDatabase((sql) => existingScratchTables(sql, DEFINITIONS))).toEqual([]);
  });
});
