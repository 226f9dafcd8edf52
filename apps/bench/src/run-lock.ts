import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/**
 * One `npm run bench` at a time against a database, and nothing left behind by a run that was
 * interrupted.
 *
 * Two runs at once would measure each other on a 2-core machine, and would share the data set:
 * a run that finds it of other parameters drops and seeds it again under the other's reads. So
 * the run holds a session-level advisory lock on the database while it measures; a second run
 * is refused at once, naming the first.
 *
 * A run stopped by Ctrl-C or a kill ends without its clean-up, leaving its schemas, its BullMQ
 * keys and its temporary folders (the import's demo files, the embedded stores). Each carries
 * the process id that made it, so the next run, holding the lock, removes those whose process
 * no longer exists on this machine. The shared data sets (`bench_dataset…`,
 * `bench_projections_…`, and the embedded `ahe-bench-dataset…-embedded` folders) are kept: they
 * are meant to outlive a run.
 */

/** pg_try_advisory_lock(int4, int4): 'AHE ' and the issue that asked for the benchmark. */
const LOCK_CLASS = 0x41484520;
const LOCK_ID = 9;
const LOCK_APPLICATION = 'ahe_bench_run';

export class BenchRunBusyError extends Error {}

export interface RunLock {
  release(): Promise<void>;
}

/** Takes the database's bench lock, or throws BenchRunBusyError naming the run that holds it. */
export async function takeRunLock(databaseUrl: string): Promise<RunLock> {
  const client = new Client({ connectionString: databaseUrl, application_name: `${LOCK_APPLICATION} pid ${process.pid}` });
  await client.connect();
  // Lost with the connection (the server restarting): the run goes on; only the guard is gone.
  client.on('error', () => undefined);
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_CLASS, LOCK_ID]);
    if (!rows[0]!.locked) throw new BenchRunBusyError(await describeHolder(client));
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return { release: () => client.end().catch(() => undefined) };
}

async function describeHolder(client: Client): Promise<string> {
  const { rows } = await client.query<{ application_name: string; client_addr: string | null; backend_start: Date }>(
    `SELECT a.application_name, host(a.client_addr) AS client_addr, a.backend_start
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2 AND l.granted`,
    [LOCK_CLASS, LOCK_ID],
  );
  const holder = rows[0];
  const pid = holder && / pid (\d+)$/.exec(holder.application_name)?.[1];
  const who = holder
    ? `npm run bench (process ${pid ?? 'unknown'}${holder.client_addr ? ` from ${holder.client_addr}` : ''}, since ${holder.backend_start.toISOString().slice(0, 19).replace('T', ' ')} UTC)`
    : 'another npm run bench';
  return `${who} is measuring against this database: two runs at once measure each other and share its data set. Wait for it to end, or stop it and run again (the next run removes what a stopped one left).`;
}

export interface Leftovers {
  readonly schemas: readonly string[];
  readonly queuePrefixes: readonly string[];
  readonly folders: readonly string[];
}

export interface SweepOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Where the temporary folders are made; the system's by default. */
  readonly folder?: string;
  /** Whether a process id is a live process on this machine. */
  readonly alive?: (pid: number) => boolean;
}

/**
 * The process id a leftover's name carries, or null for names that are not a run's own: the
 * shared data sets, and anything not made by the benchmark.
 */
export function leftoverPid(kind: 'schema' | 'queue' | 'folder', name: string): number | null {
  const match = PATTERNS[kind].exec(name);
  return match ? Number(match[1]) : null;
}

const PATTERNS = {
  // bench_append_<pid>, bench_import_<pid>_<line>, bench_b2_commands_<pid>, bench_b2_lag_rescore_<pid>, …
  schema: /^bench_(?:append|import|b2_[a-z_]+?)_(\d+)(?:_[a-z0-9_]+)?$/,
  // <prefix>:<queue>:… with the prefix of freshQueuePrefix (bench-redis.ts): bench-<label>-<pid>-<8 hex>
  queue: /^bench-[a-z0-9]+-(\d+)-[0-9a-f]{8}:/,
  // mkdtemp folders: ahe-bench-<label>-<pid>-XXXXXX
  folder: /^ahe-bench-[a-z0-9-]+?-(\d+)-[A-Za-z0-9]{6}$/,
} as const;

/** Removes what runs whose process is gone left behind; call it holding the run lock. */
export async function sweepLeftovers({ databaseUrl, redisUrl, folder = tmpdir(), alive = processExists }: SweepOptions): Promise<Leftovers> {
  const dead = (kind: keyof typeof PATTERNS, name: string) => {
    const pid = leftoverPid(kind, name);
    return pid !== null && pid !== process.pid && !alive(pid);
  };
  const schemas = await sweepSchemas(databaseUrl, (name) => dead('schema', name));
  const queuePrefixes = await sweepQueues(redisUrl, (key) => dead('queue', key));
  const folders = readdirSync(folder).filter((name) => dead('folder', name));
  for (const name of folders) rmSync(join(folder, name), { recursive: true, force: true });
  return { schemas, queuePrefixes, folders };
}

async function sweepSchemas(databaseUrl: string, dead: (name: string) => boolean): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_%' ORDER BY nspname");
    const schemas = rows.map((row) => row.nspname).filter(dead);
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    return schemas;
  } finally {
    await client.end();
  }
}

async function sweepQueues(redisUrl: string, dead: (key: string) => boolean): Promise<string[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefixes = new Set<string>();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'bench-*', 'COUNT', 1000);
      cursor = next;
      const gone = keys.filter(dead);
      for (const key of gone) prefixes.add(key.slice(0, key.indexOf(':')));
      if (gone.length > 0) await redis.del(...gone);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return [...prefixes].sort();
}

/** Signal 0 checks a process exists; EPERM says it does, under another user. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
