import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { datasetReady, ensureBenchDataset, readyBenchDataset, runDatasetProcess, type BenchDatasetOptions } from './dataset';
import { datasetSchema, datasetTarget } from './dataset-target';
import { openTarget } from './store-target';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('runDatasetProcess', () => {
  // A stand-in for dataset-process.js: prints what it was given and a line of its own, then exits as told.
  const folder = mkdtempSync(join(tmpdir(), 'ahe-dataset-process-spec-'));
  const entry = join(folder, 'entry.js');
  writeFileSync(entry, `
    const args = JSON.parse(process.argv[2]);
    process.stdout.write('data set: asked for ' + args.accounts + ' accounts in process ' + process.pid + '\\nsecond line\\n');
    process.exit(args.seed);
  `);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const args = (exitCode: number) => ({ databaseUrl: 'postgres://unused', embedded: false as const, accounts: 12, years: 0.1, seed: exitCode });

  it("passes each line the process prints to the log, and the options as its argument, in a process that is not this one", async () => {
    const lines: string[] = [];
    await runDatasetProcess(entry, args(0), (line) => lines.push(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^data set: asked for 12 accounts in process (\d+)$/);
    expect(Number(/(\d+)$/.exec(lines[0]!)![1])).not.toBe(process.pid);
    expect(lines[1]).toBe('second line');
  });

  it('rejects, naming the exit code, when the process fails', async () => {
    await expect(runDatasetProcess(entry, args(3), () => undefined)).rejects.toThrow('the process preparing the bench data set exited with code 3');
  });
});

describe('readyBenchDataset (PostgreSQL)', () => {
  // A set small enough to seed, build and fit in seconds, in a schema of its own.
  const options: BenchDatasetOptions = { databaseUrl: TEST_DATABASE_URL, accounts: 40, years: 0.3, log: () => undefined };
  const schema = datasetSchema(40);
  const dropSchema = async () => {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  };
  beforeAll(dropSchema);
  afterAll(dropSchema);

  it('has the set prepared apart when it is not in place, and then only reads it; once in place, prepares nothing', async () => {
    expect(await datasetReady(options)).toBe(false);
    const prepared: BenchDatasetOptions[] = [];
    // In place of the child process: the same preparation, counted.
    const seedApart = async (asked: BenchDatasetOptions) => {
      prepared.push(asked);
      await ensureBenchDataset(asked);
    };
    const first = await readyBenchDataset(options, seedApart);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toMatchObject({ databaseUrl: TEST_DATABASE_URL, accounts: 40 });
    // What this process got was read, not seeded: the seeding was the other one's.
    expect(first).toMatchObject({ target: { kind: 'postgres', schema }, where: `schema ${schema}`, accounts: 40, reused: true });
    expect(first.events).toBeGreaterThan(40);
    expect(await datasetReady(options)).toBe(true);

    const second = await readyBenchDataset(options, () => Promise.reject(new Error('prepared a set that was in place')));
    expect(second).toMatchObject({ target: { kind: 'postgres', schema }, events: first.events, reused: true });
  }, 120_000);

  it('counts a set with other parameters as not in place', async () => {
    expect(await datasetReady({ ...options, years: 0.2 })).toBe(false);
  });
});

describe('ensureBenchDataset (embedded)', () => {
  // A size no other test or run uses: its folder is this test's alone.
  const options: BenchDatasetOptions = { databaseUrl: TEST_DATABASE_URL, embedded: 'worker', accounts: 41, years: 0.3, log: () => undefined };
  const target = datasetTarget(TEST_DATABASE_URL, 41, 'worker');
  const folder = target.kind === 'embedded' ? target.dataDir : '';
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  beforeAll(removeFolder);
  afterAll(removeFolder);

  it('builds the set in its folder, reuses it, and empties the folder for a set of other parameters', async () => {
    expect(folder).toMatch(/ahe-bench-dataset-41-embedded$/);
    const first = await ensureBenchDataset(options);
    expect(first).toMatchObject({ target: { kind: 'embedded', dataDir: folder }, where: `embedded folder ${folder}`, reused: false });
    expect(first.events).toBeGreaterThan(41);
    expect(await datasetReady(options)).toBe(true);
    expect(await ensureBenchDataset(options)).toMatchObject({ reused: true, events: first.events });

    const other = await ensureBenchDataset({ ...options, years: 0.2 });
    expect(other.reused).toBe(false);
    expect(await datasetReady(options)).toBe(false);
    // The folder holds the new set alone: the first set's events went with it.
    const sql = await openTarget(target, 1);
    try {
      const { rows } = await sql.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
      expect(Number(rows[0]!.count)).toBe(other.events);
    } finally {
      await sql.close();
    }
    expect(other.events).not.toBe(first.events);
  }, 180_000);
});
