import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  let images: ClusterImages;
  /** The planted image where `images` keeps its own, in a folder made as it makes one. */
  const plant = () => {
    mkdirSync(join(folder, 'images'), { mode: 0o700 });
    writeFileSync(images.path, planted);
  };
  const clients: PgliteClient[] = [];
  const open = async (dataDir: string, thread: (typeof PGLITE_THREADINGS)[number] = 'main') => {
    const client = await PgliteClient.open(dataDir, thread, images);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    planted = await plantedImage();
  });
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'ahe-images-'));
    images = new ClusterImages(join(folder, 'images'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    rmSync(folder, { recursive: true, force: true });
  });

  it.each(PGLITE_THREADINGS)('a database in memory is a copy of the image (PGlite on the %s thread)', async (thread) => {
    plant();
    const client = await open(IN_MEMORY, thread);
    expect(await plantedNote(client)).toBe('from the image');
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

  it('makes the image when there is none, once, in a folder only its user can write', async () => {
    expect(existsSync(images.path)).toBe(false);
    const client = await open(IN_MEMORY);
    expect(existsSync(images.path)).toBe(true);
    expect(await plantedNote(client)).toBeNull();
    expect(statSync(join(folder, 'images')).mode & 0o077).toBe(0);
    const made = statSync(images.path);
    expect(await images.image()).toBe(images.path);
    expect(statSync(images.path).mtimeMs).toBe(made.mtimeMs);
    expect((await client.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });

  it('removes an image a database cannot start from, names it, and makes a good one at the next start', async () => {
    plant();
    writeFileSync(images.path, 'not a tarball of a cluster');
    await expect(open(IN_MEMORY)).rejects.toThrow(`started from the image ${images.path}, now removed`);
    expect(existsSync(images.path)).toBe(false);
    const client = await open(IN_MEMORY);
    expect((await client.query<{ n: number }>('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    expect(existsSync(images.path)).toBe(true);
  });

  it('keeps no image in a folder others may write: new databases run initdb', async () => {
    plant();
    chmodSync(join(folder, 'images'), 0o777);
    expect(await images.image()).toBeUndefined();
    const client = await open(IN_MEMORY);
    expect(await plantedNote(client)).toBeNull();
  });
});
