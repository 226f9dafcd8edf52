import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * The image of a new PGlite cluster (a tarball of its data folder, as `dumpDataDir` writes it),
 * which new embedded databases are started from instead of running PGlite's initdb each time:
 * initdb takes seconds of CPU, loading the image about a third of that. Every new store pays
 * it otherwise: the engine's first start on a new DATA_DIR, and each in-memory store the tests
 * and the benchmark open.
 *
 * The image is made once per PGlite version and user, and kept in a folder of the system's
 * temporary one that only the user can write (`ahe-pglite-<uid>`); a folder anyone else could
 * write is not used, since whatever is in the image becomes the new database. Written under
 * another name and renamed, so a reader never sees half of one. When no image can be kept,
 * new databases run initdb as PGlite does.
 */
export class ClusterImages {
  private making: Promise<string | undefined> | undefined;

  /** Where this PGlite version's image is kept. */
  readonly path: string;

  constructor(private readonly folder = join(tmpdir(), `ahe-pglite-${process.getuid?.() ?? 'user'}`)) {
    this.path = join(folder, `cluster-${pgliteVersion()}.tar`);
  }

  /** The image's path, made now if there is none yet; undefined when it cannot be kept. */
  image(): Promise<string | undefined> {
    return (this.making ??= this.findOrMake().finally(() => (this.making = undefined)));
  }

  /** Whether `dataDir` (null: in memory) would get a new cluster: it holds none yet. */
  static isNew(dataDir: string | null): boolean {
    return dataDir === null || !existsSync(join(dataDir, 'PG_VERSION'));
  }

  /** Removes an image that a database failed to start from, so the next one is made afresh. */
  static discard(path: string): void {
    rmSync(path, { force: true });
  }

  private async findOrMake(): Promise<string | undefined> {
    if (!this.ownFolder()) return undefined;
    const path = this.path;
    if (existsSync(path)) return path;
    const image = await newClusterTarball();
    const partial = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(partial, image, { mode: 0o600 });
      renameSync(partial, path);
      return path;
    } catch {
      // A full disk, say: this store runs initdb after all.
      rmSync(partial, { force: true });
      return undefined;
    }
  }

  /** The folder exists (made if not), is a folder of this user's, and no one else may write it. */
  private ownFolder(): boolean {
    try {
      mkdirSync(this.folder, { recursive: true, mode: 0o700 });
      const stats = lstatSync(this.folder);
      const uid = process.getuid?.();
      return stats.isDirectory() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
    } catch {
      return false;
    }
  }
}

async function newClusterTarball(): Promise<Buffer> {
  const db = await PGlite.create();
  try {
    return Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  } finally {
    await db.close();
  }
}

/** The installed PGlite's version: an image is good for the initdb it was made by. */
function pgliteVersion(): string {
  // The package does not export its package.json; it sits beside dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The process's images: one for every store it opens. */
export const clusterImages = new ClusterImages();
