import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { runBenchmarks } from './run-benchmarks';
import { BenchRunBusyError, leftoverPid, processExists, sweepLeftovers, takeRunLock } from './run-lock';
import { unwritableOutput } from './run-preflight';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Process ids no machine gives (pid_max is at most 2^22): "gone" and "running" are what `alive` says. */
const GONE = 999_999_901;
const RUNNING = 999_999_902;
const alive = (pid: number) => pid !== GONE;

async function stderrOf(work: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  try {
    return { code: await work(), stderr: written.join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('takeRunLock (PostgreSQL)', () => {
  it('refuses a second run while the first holds the database, naming it, and lets one run once released', async () => {
    const first = await takeRunLock(TEST_DATABASE_URL);
    try {
      const refused = takeRunLock(TEST_DATABASE_URL);
      await expect(refused).rejects.toBeInstanceOf(BenchRunBusyError);
      await expect(refused).rejects.toThrow(new RegExp(`^npm run bench \\(process ${process.pid} from 127\\.0\\.0\\.1, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\) is measuring against this database`));
    } finally {
      await first.release();
    }
    const next = await takeRunLock(TEST_DATABASE_URL);
    await next.release();
  });

  it('makes npm run bench exit with 3 before measuring anything while another run holds the database', async () => {
    const first = await takeRunLock(TEST_DATABASE_URL);
    try {
      const { code, stderr } = await stderrOf(() => runBenchmarks(['--suite', 'append', '--quick'], { env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL } }));
      expect(code).toBe(3);
      expect(stderr).toContain('is measuring against this database');
      expect(stderr).not.toMatch(/append/);
    } finally {
      await first.release();
    }
  });
});

describe('leftoverPid', () => {
  it.each([
    ['schema', 'bench_append_4321', 4321],
    ['schema', 'bench_import_4321_api', 4321],
    ['schema', 'bench_import_4321_cli_small', 4321],
    ['schema', 'bench_b2_commands_4321', 4321],
    ['schema', 'bench_b2_lag_rescore_4321', 4321],
    ['schema', 'bench_b2_asof_4321', 4321],
    ['schema', 'bench_dataset', null],
    ['schema', 'bench_dataset_2000', null],
    ['schema', 'bench_projections_20000', null],
    ['schema', 'bench_reports_2024', null],
    ['schema', 'public', null],
    ['queue', 'bench-e2e-4321-0a1b2c3d:escalations:meta', 4321],
    ['queue', 'bench-queue-4321-0a1b2c3d:bench:id', 4321],
    ['queue', 'bench-e2e-0a1b2c3d:escalations:meta', null],
    ['queue', 'e2e-0a1b2c3d:escalations:meta', null],
    ['folder', 'ahe-bench-import-4321-AbC123', 4321],
    ['folder', 'ahe-bench-as-of-4321-abc123', 4321],
    ['folder', 'ahe-bench-b2-lag-rescore-4321-123456', 4321],
    ['folder', 'ahe-bench-quick-AbC123', null],
    ['folder', 'ahe-bench-quick-123456', null],
    ['folder', 'ahe-dataset-process-spec-AbC123', null],
    ['folder', 'ahe-bench-projections-4321-AbC123', 4321],
    // The embedded read data sets (dataset.ts, datasetTarget), kept from run to run.
    ['folder', 'ahe-bench-dataset-embedded', null],
    ['folder', 'ahe-bench-dataset-2000-embedded', null],
    ['folder', 'ahe-bench-dataset-123456-embedded', null],
  ] as const)('%s %s → %s', (kind, name, pid) => {
    expect(leftoverPid(kind, name)).toBe(pid);
  });
});

describe('processExists', () => {
  it('tells this process from one that does not exist', () => {
    expect(processExists(process.pid)).toBe(true);
    expect(processExists(GONE)).toBe(false);
  });
});

describe('sweepLeftovers (PostgreSQL, Redis)', () => {
  const schemas = [`bench_b2_commands_${GONE}`, `bench_import_${GONE}_api`, `bench_b2_commands_${RUNNING}`, 'bench_projections_424242'];
  const keys = [`bench-e2e-${GONE}-0a1b2c3d:escalations:meta`, `bench-e2e-${GONE}-0a1b2c3d:webhooks:1`, `bench-e2e-${RUNNING}-0a1b2c3d:escalations:meta`];
  let folder: string;

  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const existing = () => admin(async (client) => (await client.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname', [schemas])).rows.map((row) => row.nspname));

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'ahe-run-lock-spec-'));
    await admin(async (client) => {
      for (const schema of schemas) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}; CREATE TABLE IF NOT EXISTS ${schema}.t (n int)`);
    });
    const redis = new Redis(TEST_REDIS_URL);
    await Promise.all(keys.map((key) => redis.set(key, '1')));
    redis.disconnect();
    for (const name of [`ahe-bench-import-${GONE}-AbC123`, `ahe-bench-import-${RUNNING}-AbC123`, 'ahe-bench-quick-AbC123']) {
      mkdirSync(join(folder, name));
      writeFileSync(join(folder, name, 'demo.ndjson'), '{}\n');
    }
  });

  afterEach(async () => {
    await admin(async (client) => {
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    });
    const redis = new Redis(TEST_REDIS_URL);
    await redis.del(...keys);
    redis.disconnect();
    rmSync(folder, { recursive: true, force: true });
  });

  it("removes the schemas, BullMQ keys and temporary folders of runs whose process is gone, and keeps the others' and the shared data sets", async () => {
    const removed = await sweepLeftovers({ databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL, folder, alive });

    expect(removed.schemas).toEqual([`bench_b2_commands_${GONE}`, `bench_import_${GONE}_api`]);
    expect(await existing()).toEqual([`bench_b2_commands_${RUNNING}`, 'bench_projections_424242']);
    expect(removed.queuePrefixes).toEqual([`bench-e2e-${GONE}-0a1b2c3d`]);
    const redis = new Redis(TEST_REDIS_URL);
    const left = await Promise.all(keys.map((key) => redis.exists(key)));
    redis.disconnect();
    expect(left).toEqual([0, 0, 1]);
    expect(removed.folders).toEqual([`ahe-bench-import-${GONE}-AbC123`]);
    expect(readdirSync(folder).sort()).toEqual([`ahe-bench-import-${RUNNING}-AbC123`, 'ahe-bench-quick-AbC123']);
  });

  it('removes nothing when every run that left something is still running', async () => {
    const removed = await sweepLeftovers({ databaseUrl: TEST_DATABASE_URL, redisUrl: TEST_REDIS_URL, folder, alive: () => true });
    expect(removed).toEqual({ schemas: [], queuePrefixes: [], folders: [] });
    expect(await existing()).toEqual([...schemas].sort());
  });
});

describe('unwritableOutput', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ahe-run-lock-spec-out-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('names the flag and why the file cannot be written', () => {
    expect(unwritableOutput({ chartFile: '/nonexistent-ahe/dir/x.svg' })).toBe('--chart: cannot write /nonexistent-ahe/dir/x.svg: the folder /nonexistent-ahe/dir does not exist');
    expect(unwritableOutput({ jsonFile: folder })).toBe(`--json: cannot write ${folder}: it is a folder`);
    writeFileSync(join(folder, 'plain'), '');
    expect(unwritableOutput({ jsonFile: join(folder, 'plain', 'run.json') })).toBe(`--json: cannot write ${join(folder, 'plain', 'run.json')}: ${join(folder, 'plain')} is not a folder`);
  });

  it('accepts new and existing files in folders that can be written', () => {
    writeFileSync(join(folder, 'old.json'), '{}');
    expect(unwritableOutput({ jsonFile: join(folder, 'old.json'), chartFile: join(folder, 'new.svg') })).toBeNull();
    expect(unwritableOutput({})).toBeNull();
  });

  it('makes npm run bench exit with 2 before measuring anything', async () => {
    const { code, stderr } = await stderrOf(() => runBenchmarks(['--suite', 'append', '--chart', '/nonexistent-ahe/dir/x.svg']));
    expect(code).toBe(2);
    expect(stderr).toBe('--chart: cannot write /nonexistent-ahe/dir/x.svg: the folder /nonexistent-ahe/dir does not exist\n');
  });
});
