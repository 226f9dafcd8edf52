import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { buildInfo, formatBuild, type BuildInfo } from './build-info';
import { formatUtcMinute } from './measure';

/**
 * What a figure was measured on: printed above the table, since a ratio means something only
 * next to the machine, the versions and the PostgreSQL settings it ran with.
 */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly os: string;
  readonly loadAverageAtStart: readonly number[];
  loadAverageAtEnd?: readonly number[];
  readonly versions: Readonly<Record<string, string>>;
  /** PostgreSQL settings that move write and read speed, as `SHOW` prints them. */
  readonly postgresSettings: Readonly<Record<string, string>>;
  /** What the first write to a 4 KiB page of new memory costs here (firstTouchCost); absent in runs before it was measured. */
  readonly firstTouch?: FirstTouch;
  /**
   * The kernel's transparent huge page mode (`always`, `madvise`, `never`): with `always`, the
   * buffer firstTouchCost fills takes one fault per 2 MiB page instead of one per 4 KiB page, so
   * its price reads far lower while the V8 heap's pages are faulted as before. Absent where the
   * kernel does not say, and in runs before it was recorded.
   */
  readonly transparentHugePages?: string;
  /** The commit measured; absent in runs before it was recorded, null outside a git checkout. */
  readonly build?: BuildInfo | null;
}

/**
 * The first write to a page of memory a process has just been given is a page fault: the
 * kernel (and, in a VM, perhaps the hypervisor) maps a zeroed page. Its price differs between
 * machines by more than an order of magnitude (about 10 µs a page measured on this project's
 * 2-core VMs), and it is in every figure that grows memory: a process starting, PGlite
 * initializing its shared buffers, V8 promoting objects into new pages.
 */
export interface FirstTouch {
  /** Microseconds a 4 KiB page, the first fill's time less the second's (the writes themselves). */
  readonly microsPerPage: number;
  readonly firstMs: number;
  readonly secondMs: number;
  readonly mebibytes: number;
}

/** Fills a fresh 64 MiB buffer twice: the first fill pays a page fault a page, the second only the writes. */
export function firstTouchCost(mebibytes = 64): FirstTouch {
  const bytes = new Uint8Array(mebibytes * 1024 * 1024);
  const fill = (value: number) => {
    const started = performance.now();
    bytes.fill(value);
    return performance.now() - started;
  };
  const firstMs = fill(1);
  const secondMs = fill(2);
  const pages = bytes.length / 4096;
  return { microsPerPage: (1000 * Math.max(0, firstMs - secondMs)) / pages, firstMs, secondMs, mebibytes };
}

const SETTINGS = [
  'shared_buffers', 'synchronous_commit', 'fsync', 'wal_level', 'max_wal_size', 'work_mem',
  'effective_io_concurrency', 'checkpoint_timeout', 'jit',
] as const;

export async function describeMachine(databaseUrl: string, redisUrl: string): Promise<MachineInfo> {
  const [postgres, redisVersion] = await Promise.all([postgresFacts(databaseUrl), redisServerVersion(redisUrl)]);
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: totalmem() / 1024 ** 3,
    os: `${distribution() ?? osType()} (${osType()} ${release()})`,
    loadAverageAtStart: loadavg(),
    versions: {
      // The V8 flags the process runs with (the start scripts' heap setting): they move the tails.
      node: process.execArgv.length === 0 ? process.version : `${process.version} (${process.execArgv.join(' ')})`,
      PostgreSQL: postgres.version,
      Redis: redisVersion,
      PGlite: packageVersion('@electric-sql/pglite'),
      bullmq: packageVersion('bullmq'),
    },
    postgresSettings: postgres.settings,
    firstTouch: firstTouchCost(),
    transparentHugePages: transparentHugePageMode(readOptional('/sys/kernel/mm/transparent_hugepage/enabled')),
    build: buildInfo(),
  };
}

export function formatMachine(info: MachineInfo, command: string, seconds: number): string {
  const load = (values: readonly number[] | undefined) => (values ?? []).map((value) => value.toFixed(2)).join(' ');
  const touch = info.firstTouch;
  const firstTouch = touch === undefined ? '' : `; a 4 KiB page of new memory costs ${touch.microsPerPage.toFixed(1)} µs to touch first ` +
    `(${touch.mebibytes} MiB filled twice: ${touch.firstMs.toFixed(0)} ms, then ${touch.secondMs.toFixed(0)} ms` +
    `${info.transparentHugePages === undefined ? '' : `; transparent huge pages: ${info.transparentHugePages}`})`;
  return [
    `Command: \`${command}\` — ${seconds.toFixed(0)} s in all, ${formatUtcMinute(new Date().toISOString())}`,
    `Machine: ${info.cpu}, ${info.cores} cores, ${info.ramGiB.toFixed(1)} GiB RAM, ${info.os}; ` +
      `load average (1/5/15 min) ${load(info.loadAverageAtStart)} at start, ${load(info.loadAverageAtEnd)} at end${firstTouch}`,
    ...(info.build === undefined ? [] : [`Build: ${formatBuild(info.build)}`]),
    `Versions: ${Object.entries(info.versions).map(([name, version]) => `${name} ${version}`).join(', ')}`,
    `PostgreSQL settings: ${Object.entries(info.postgresSettings).map(([name, value]) => `${name}=${value}`).join(', ')}`,
  ].join('\n');
}

async function postgresFacts(databaseUrl: string): Promise<{ version: string; settings: Record<string, string> }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const settings: Record<string, string> = {};
    for (const name of SETTINGS) settings[name] = (await client.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name])).rows[0]!.value;
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { version: rows[0]!.server_version, settings };
  } finally {
    await client.end();
  }
}

async function redisServerVersion(redisUrl: string): Promise<string> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? 'unknown';
  } catch (error) {
    return `unreachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

/** A package's version from its package.json, found upwards of its entry (some packages do not export package.json). */
function packageVersion(name: string): string {
  try {
    for (let folder = dirname(require.resolve(name)); folder !== dirname(folder); folder = dirname(folder)) {
      const file = join(folder, 'package.json');
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === name) return manifest.version ?? 'unknown';
    }
  } catch {
    // Not installed: say so in the header rather than fail the run.
  }
  return 'not installed';
}

/** The mode in brackets of the kernel's `always [madvise] never`; undefined without the text or the brackets. */
export function transparentHugePageMode(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\[(\w+)\]/.exec(text)?.[1];
}

function distribution(): string | undefined {
  return /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readOptional('/etc/os-release') ?? '')?.[1];
}

/** A system file's text, or undefined where the system has none. */
function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * "npm run bench -- --json x", then on a line of its own "2026-12-01 22:45 UTC — AMD EPYC, 2 cores,
 * Debian GNU/Linux 12 (bookworm)": on one line, a command with a few flags ran past the chart's edge.
 */
export function chartSubtitle(command: string, at: string | undefined, machine: Pick<MachineInfo, 'cpu' | 'cores' | 'os'> | undefined): string {
  const when = [at && formatUtcMinute(at), machine && `${machine.cpu}, ${machine.cores} cores, ${machine.os}`].filter(Boolean).join(' — ');
  return when === '' ? command : `${command}\n${when}`;
}
