import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '@ahe/event-store';
import { accountLines, ndjson } from './import-importer.cases';

/** `ahe seed` and `ahe import` as built, against an embedded store in a temporary DATA_DIR. */
const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

jest.setTimeout(180_000);

describe('ahe CLI', () => {
  const work = mkdtempSync(join(tmpdir(), 'ahe-cli-'));
  const dataDir = join(work, 'data');
  // Only what the test sets: a developer's DATABASE_URL must not send the events elsewhere.
  const ahe = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir }, encoding: 'utf8' });

  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('seeds a reproducible NDJSON file, imports it, then refuses it a second time naming line 1', () => {
    const file = join(work, 'portfolio.ndjson');
    const seeded = ahe('seed', '--accounts', '15', '--years', '2', '--seed', '3', '--out', file);
    expect(seeded.status).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(seeded.stdout).toContain(`Wrote ${lines.length.toLocaleString('en')} events of 15 accounts`);
    expect(ahe('seed', '--accounts', '15', '--years', '2', '--seed', '3', '--out', join(work, 'again.ndjson')).status).toBe(0);
    expect(readFileSync(join(work, 'again.ndjson'), 'utf8')).toBe(readFileSync(file, 'utf8'));

    const imported = ahe('import', file, '--json');
    expect(imported.stderr).not.toMatch(/Failed|refused/);
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ lines: lines.length, events: lines.length, accounts: 15 });

    const again = ahe('import', file);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^Import refused, nothing was appended: line 1: AccountOpened refused: Account demo-3-0001 already exists/);
  });

  it('exits 1 naming the line of an invalid file, and appends nothing from it', async () => {
    const file = join(work, 'invalid.ndjson');
    const lines = accountLines('cli-bad');
    writeFileSync(file, ndjson([...lines.slice(0, 3), { ...lines[3], data: { invoiceId: 'unknown', amount: 1 } }, ...lines.slice(4)]));
    const result = ahe('import', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('line 4: InvoicePaid refused: invoice unknown does not exist on this account');
    const seeded = ahe('seed', '--accounts', '5', '--years', '1', '--seed', '8');
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(/^Imported [\d,]+ events of 5 accounts from seed 8 into the embedded store/);

    const store = await openEventStore({ kind: 'embedded', dataDir });
    try {
      expect(await store.streamRevision('account-cli-bad')).toBe(-1);
      expect(await store.streamRevision('account-demo-8-0005')).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('refuses bad options and missing files with a message and a non-zero exit', () => {
    const badCount = ahe('seed', '--accounts', 'many', '--years', '1');
    expect(badCount.status).not.toBe(0);
    expect(badCount.stderr).toContain('--accounts must be a positive integer');
    const missing = ahe('import', join(work, 'nope.ndjson'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const folder = ahe('import', work);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toContain(`cannot read ${work}: it is a folder`);
    const badYears = ahe('seed', '--accounts', '2', '--years', 'two');
    expect(badYears.status).not.toBe(0);
    expect(badYears.stderr).toContain('--years must be a number');
  });

  it('names the setting to check when the database does not accept a connection', () => {
    const file = join(work, 'one.ndjson');
    writeFileSync(file, ndjson(accountLines('cli-refused').slice(0, 1)));
    const refused = spawnSync(process.execPath, [CLI, 'import', file], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' }, encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr.trimEnd().split('\n').at(-1)).toMatch(/^Failed: .*ECONNREFUSED.* \(a server did not accept the connection: check DATABASE_URL\)$/);
  });

  it('fails, naming the file, when seed --out cannot write it, however much it generated', () => {
    // 200 accounts are far more than a write stream buffers before it waits for the file.
    const unwritable = ahe('seed', '--accounts', '200', '--years', '1', '--out', join(work, 'no-such-folder', 'seed.ndjson'));
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toContain(`cannot write ${join(work, 'no-such-folder', 'seed.ndjson')}: ENOENT`);
  });

  it('refuses to verify, replay or rebuild a DATA_DIR that holds no store, instead of creating an empty one', () => {
    const empty = join(work, 'not-a-store');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: empty }, encoding: 'utf8' });
    for (const args of [['verify'], ['replay', '--verify'], ['rebuild', 'account_health']]) {
      const refused = run(...args);
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(`no embedded store in ${empty} (DATA_DIR)`);
    }
    expect(existsSync(empty)).toBe(false);
  });
});
