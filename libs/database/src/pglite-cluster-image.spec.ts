import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { ClusterImages } from './pglite-cluster-image';
import { IN_MEMORY, PGLITE_THREADINGS, PgliteClient } from './index';

/** The image of a cluster holding a table `planted`: a database started from it can be told apart from one initdb made. */
async function plantedImage(): Promise<Buffer> {
  const db = await PGlite.create();
  try {
    await db.exec(`CREATE TABLE planted (note text); INSERT INTO planted VALUES ('from the image')`);
    return Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  } finally {
    await db.close();
  }
}

/** The planted table's note, or null when the database has no such table (initdb made it). */
const plantedNote = async (client: PgliteClient): Promise<string | null> => {
  const { rows: [table] } = await client.query<{ planted: boolean }>(`SELECT to_regclass('planted') IS NOT NULL AS planted`);
  if (!table!.planted) return null;
  return (await client.query<{ note: string }>('SELECT note FROM planted')).rows[0]!.note;
};

describe('ClusterImages: new embedded databases start from the image of a new cluster', () => {
  let planted: Buffer;
  let folder: string;
  let imagesFolder: string;
  let images: ClusterImages;
  const clients: PgliteClient[] = [];
  const warnings: string[] = [];
  const open = async (dataDir: string, thread: (typeof PGLITE_THREADINGS)[number] = 'main') => {
    const client = await PgliteClient.open(dataDir, thread, images, (message) => warnings.push(message));
    clients.push(client);
    return client;
  };
  /** The planted image where `images` keeps its own, in a folder made as it makes one. */
  const plant = () => {
    mkdirSync(imagesFolder, { mode: 0o700 });
    writeFileSync(images.path, planted, { mode: 0o600 });
  };

  beforeAll(async () => {
    planted = await plantedImage();
  });
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'ahe-images-spec-'));
    imagesFolder = join(folder, 'images');
    images = new ClusterImages(imagesFolder);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(PGLITE_THREADINGS)('a database in memory is a copy of the image (PGlite on the %s thread)', async (thread) => {
    plant();
    expect(await plantedNote(await open(IN_MEMORY, thread))).toBe('from the image');
  });

  it('a new data folder starts from the image once; reopened, it keeps what was written and is not overwritten', async () => {
    plant();
    const dataDir = join(folder, 'data');
    const first = await open(dataDir);
    expect(await plantedNote(first)).toBe('from the image');
    await first.exec(`UPDATE planted SET note = 'written since'`);
    await first.close();
    const again = await open(dataDir, 'worker');
    expect(await plantedNote(again)).toBe('written since');
  });

  it('makes the image when there is none, one for opens at once, in a folder only its user can enter', async () => {
    const [client] = await Promise.all([open(IN_MEMORY), open(IN_MEMORY, 'worker')]);
    expect(readdirSync(imagesFolder)).toEqual([basename(images.path)]);
    expect(statSync(imagesFolder).mode & 0o077).toBe(0);
    expect(statSync(images.path).mode & 0o077).toBe(0);
    expect(await plantedNote(client!)).toBeNull();
    const made = statSync(images.path).ino;
    await open(IN_MEMORY);
    expect(statSync(images.path).ino).toBe(made);
  });

  it('makes an image of the postgres database alone, from which a new database opens, writes, vacuums and reopens', async () => {
    const client = await open(join(folder, 'data'), 'worker');
    expect((await client.query('SELECT datname FROM pg_database ORDER BY datname')).rows).toEqual([{ datname: 'postgres' }]);
    await client.exec(`CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)`);
    await client.exec('VACUUM (FREEZE, ANALYZE) kept');
    await client.close();
    const again = await open(join(folder, 'data'));
    expect((await again.query('SELECT current_database() AS name, (SELECT count(*)::int FROM kept) AS kept')).rows).toEqual([{ name: 'postgres', kept: 1 }]);
  });

  it('when it makes the image, removes images of other kinds unread for a week and abandoned partial images, nothing in use', async () => {
    mkdirSync(imagesFolder, { mode: 0o700 });
    const name = basename(images.path);
    const otherKind = name.replace('-postgres-only', '');
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600_000);
    const files: Record<string, Date> = {
      [otherKind]: daysAgo(8),
      [`cluster-0.0.1-${name.split('-').pop()}`]: daysAgo(1),
      [`${name}.4242-0a1b2c3d`]: daysAgo(1 / 24),
      [`${name}.4343-0a1b2c3d`]: new Date(),
    };
    for (const [file, mtime] of Object.entries(files)) {
      writeFileSync(join(imagesFolder, file), 'old', { mode: 0o600 });
      utimesSync(join(imagesFolder, file), mtime, mtime);
    }
    await open(IN_MEMORY);
    expect(readdirSync(imagesFolder).sort()).toEqual([name, `cluster-0.0.1-${name.split('-').pop()}`, `${name}.4343-0a1b2c3d`].sort());
  });

  it('dates the image as read each time a database starts from it, so other builds keep it while it is used', async () => {
    plant();
    const longAgo = new Date(Date.now() - 30 * 24 * 3600_000);
    utimesSync(images.path, longAgo, longAgo);
    await open(IN_MEMORY);
    expect(Date.now() - statSync(images.path).mtimeMs).toBeLessThan(60_000);
  });

  it.each([
    ['in memory', (): string => IN_MEMORY, 'main' as const],
    ['in a new data folder', (): string => join(folder, 'data'), 'main' as const],
    ['in a new data folder, on PGlite\'s worker thread', (): string => join(folder, 'data'), 'worker' as const],
  ])('when the image cannot start a database %s, initdb makes it and the image is removed', async (_, dataDir, thread) => {
    plant();
    writeFileSync(images.path, 'not a tarball of a cluster');
    warnings.length = 0;
    const client = await open(dataDir(), thread);
    // Told to the opener's logger (a JSON line in the server), not printed.
    expect(warnings).toEqual([expect.stringMatching(/^the embedded database did not start from the image of a new cluster \(.+\); initdb made it, and the image is removed$/)]);
    expect(await plantedNote(client)).toBeNull();
    expect(existsSync(images.path)).toBe(false);
    if (dataDir() === IN_MEMORY) return;
    await client.exec(`CREATE TABLE kept (n int)`);
    await client.close();
    expect((await (await open(dataDir())).query(`SELECT to_regclass('kept') IS NOT NULL AS kept`)).rows).toEqual([{ kept: true }]);
  });

  it.each([
    ['a folder others may enter', () => chmodSync(imagesFolder, 0o755)],
    ['a link to a folder', () => {
      const target = join(folder, 'elsewhere');
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target, { mode: 0o700 });
      writeFileSync(join(target, basename(images.path)), planted, { mode: 0o600 });
      rmSync(imagesFolder, { recursive: true });
      symlinkSync(target, imagesFolder);
    }],
    ['an image others may write', () => chmodSync(images.path, 0o666)],
  ])('does not start from an image in %s', async (_, spoil) => {
    plant();
    spoil();
    expect(await plantedNote(await open(IN_MEMORY))).toBeNull();
    expect(await plantedNote(await open(IN_MEMORY))).toBeNull();
  });
});
