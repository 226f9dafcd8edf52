import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, futimesSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** Bumped when what a new cluster's image holds changes, so an image of the old kind is made again. */
const IMAGE_FORMAT = 'postgres-only';
/** Another version's or kind's image unread for this long is removed: no build that reads it runs any more. */
const UNUSED_IMAGE_MS = 7 * 24 * 3600_000;
/** A partial image this old was left by a writer that stopped: writing one takes a second or so. */
const ABANDONED_PARTIAL_MS = 10 * 60_000;

/**
 * The image of a new PGlite cluster (a tarball of its data folder, as `dumpDataDir` writes it),
 * which new embedded databases start from instead of running PGlite's initdb each time, the
 * slowest part of opening one. Every new store pays it otherwise: the engine's first start on a
 * new DATA_DIR, and each in-memory store the tests and the benchmark open.
 *
 * The image holds the `postgres` database alone. The engine's store is that one database, so
 * `template0` and `template1` could only be copied by a CREATE DATABASE the engine never opens,
 * and PGlite's one session could never vacuum them; copying them was most of what a new store wrote.
 *
 * The image is made once per PGlite version and user (by each process that finds none), and
 * kept in a folder of the system's temporary one (`ahe-pglite-<uid>`). Whatever the image holds
 * becomes the new database, so it is used only from a folder of the user's that no one else can
 * enter, as a regular file of the user's that no one else can write, read through a handle that
 * does not follow links (one that fails is replaced). It is written under another name and
 * renamed, so a reader never sees half of one. Where none can be kept (another's folder, a full
 * disk, Windows' modes), the one a process made serves its own new databases.
 */
export class ClusterImages {
  private making: Promise<Uint8Array | undefined> | undefined;
  /** Made by this process but not kept on disk. */
  private unkept: Uint8Array | undefined;

  constructor(private readonly folder = join(tmpdir(), `ahe-pglite-${process.getuid?.() ?? 'user'}`)) {}

  /** Where this PGlite version's image is kept. */
  get path(): string {
    return join(this.folder, `cluster-${pgliteVersion()}-${IMAGE_FORMAT}.tar`);
  }

  /** The image, made now if there is none yet; undefined when none can be trusted or made. */
  image(): Promise<Uint8Array | undefined> {
    return (this.making ??= this.findOrMake().finally(() => (this.making = undefined)));
  }

  /** Removes the image: a database could not start from it, and did without it. */
  discard(): void {
    this.unkept = undefined;
    try {
      rmSync(this.path, { force: true });
    } catch {
      // Left for the next one that fails to start from it.
    }
  }

  private async findOrMake(): Promise<Uint8Array | undefined> {
    if (this.unkept) return this.unkept;
    const keepable = this.privateFolder();
    const kept = keepable ? this.readKept() : undefined;
    if (kept) return kept;
    const image = await newClusterTarball();
    if (!keepable || !this.keep(image)) this.unkept = image;
    return image;
  }

  /** The folder exists (made if not), is a folder of this user's, and no one else may enter it. */
  private privateFolder(): boolean {
    try {
      mkdirSync(this.folder, { recursive: true, mode: 0o700 });
      const stats = lstatSync(this.folder);
      return stats.isDirectory() && isOwnAndClosed(stats, 0o077);
    } catch {
      return false;
    }
  }

  /** The kept image's bytes; undefined when there is none, or one not to be trusted (replaced then). */
  private readKept(): Uint8Array | undefined {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      return undefined;
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || !isOwnAndClosed(stats, 0o022)) return undefined;
      const image = readFileSync(fd);
      markRead(fd);
      return image;
    } finally {
      closeSync(fd);
    }
  }

  /** Writes the image where the next process finds it, after removing what is no longer used; false when it cannot. */
  private keep(image: Uint8Array): boolean {
    this.sweep();
    const partial = `${this.path}.${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(partial, image, { mode: 0o600 });
      renameSync(partial, this.path);
    } catch {
      rmSync(partial, { force: true });
      return false;
    }
    return true;
  }

  /** Removes other versions' and kinds' images no build has read for a week, and abandoned partial images. */
  private sweep(): void {
    try {
      for (const name of readdirSync(this.folder)) {
        const path = join(this.folder, name);
        if (path !== this.path && isLeftover(name, Date.now() - statSync(path).mtimeMs)) rmSync(path, { force: true });
      }
    } catch {
      // Left for the next image made.
    }
  }
}

/** An image (of another version or kind) unread for a week, or a partial one its writer abandoned. */
function isLeftover(name: string, ageMs: number): boolean {
  if (/^cluster-.+\.tar\.\d+-[0-9a-f]+$/.test(name)) return ageMs > ABANDONED_PARTIAL_MS;
  return /^cluster-.+\.tar$/.test(name) && ageMs > UNUSED_IMAGE_MS;
}

/** Dates the image as read now, so that a sweep by a build of another version or kind keeps it while it is used. */
function markRead(fd: number): void {
  try {
    const now = new Date();
    futimesSync(fd, now, now);
  } catch {
    // A read-only image is used all the same; it only ages.
  }
}

/** Owned by this process's user, and none of `mode`'s bits (another's access) set. */
function isOwnAndClosed(stats: { uid: number; mode: number }, mode: number): boolean {
  const uid = process.getuid?.();
  return (uid === undefined || stats.uid === uid) && (stats.mode & mode) === 0;
}

async function newClusterTarball(): Promise<Uint8Array> {
  const db = await PGlite.create();
  try {
    for (const template of ['template0', 'template1']) {
      await db.query(`ALTER DATABASE ${template} IS_TEMPLATE false`);
      await db.query(`DROP DATABASE ${template}`);
    }
    return new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
  } finally {
    await db.close();
  }
}

let installedVersion: string | undefined;

/** The installed PGlite's version: an image is good for the initdb it was made by. */
function pgliteVersion(): string {
  // The package does not export its package.json; it sits beside dist/.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (installedVersion ??= (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
}

/** The process's images: one for every store it opens. */
export const clusterImages = new ClusterImages();
