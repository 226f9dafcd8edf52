import type { SqlQueryable } from '@ahe/database';
import { formatCheckpoint, type EventStore } from '@ahe/event-store';
import { DEFAULT_BATCH_SIZE, DEFAULT_LOCK_RETRY_MS } from '../engine/engine-options';
import { readGenerations, type GenerationRow } from '../generations/generation-rows';
import type { ProjectionDefinition } from '../projection.definition';
import { logProbe, type LogProbe } from './log-probe';
import { readParkedEvents, type ParkedEventView } from './parked-events';

export type ProjectionRunStatus = 'live' | 'catching_up' | 'stale' | 'stopped' | 'failed';

export interface ProjectionStatus {
  readonly name: string;
  /** Version of the code in the process asking; for a projection it does not run, the one it passed in StatusOptions. */
  readonly version: string;
  /** Version of the generation behind the views; differs from `version` while stale. */
  readonly servingVersion: string | null;
  readonly generation: number | null;
  /**
   * live: at most one batch behind the log; catching_up: further behind; stale: frozen on
   * another version while this one is built; stopped: no owner heartbeat for 3 × the lock
   * retry interval, or never started; failed: the owner cannot get past an error (lastError).
   */
  readonly status: ProjectionRunStatus;
  /** Global position of the last event applied. */
  readonly position: number | null;
  /** `commit/prepare` of the last event applied. */
  readonly checkpoint: string | null;
  /** Events in the log not applied yet, and the age of the oldest of them (0 when none). */
  readonly lag: { readonly events: number; readonly seconds: number };
  /** Over the batches of the last 10 seconds; 0 when idle. */
  readonly eventsPerSecond: number;
  readonly eventsProcessed: number;
  readonly owner: string | null;
  readonly heartbeatAt: string | null;
  readonly parked: { readonly count: number; readonly events: readonly ParkedEventView[] };
  readonly rebuild: RebuildStatus | null;
  readonly lastError: string | null;
}

export interface RebuildStatus {
  readonly generation: number;
  readonly version: string;
  /** held: caught up but parked events the serving generation did not park; not swapped in (`held` says why). */
  readonly status: 'building' | 'held';
  readonly position: number | null;
  /** Share of the log applied, 0–1; null when the log is empty. */
  readonly progress: number | null;
  readonly eventsProcessed: number;
  readonly startedAt: string;
  readonly lastError: string | null;
  readonly held: string | null;
  /** What this generation parked: the serving generation's are under the projection's own `parked`. */
  readonly parked: { readonly count: number; readonly events: readonly ParkedEventView[] };
}

/**
 * All a status needs of a projection: a process that does not have its code (another process
 * runs it) may pass what the bookkeeping tables say of it.
 */
type StatusSubject = Pick<ProjectionDefinition, 'name' | 'version' | 'batchSize'>;

export interface StatusOptions {
  readonly definitions: readonly StatusSubject[];
  readonly store: EventStore;
  readonly now: Date;
  /** The engines' lock retry interval: a heartbeat older than three of them means no owner. Default 5000. */
  readonly lockRetryMs?: number;
  /** The engines' batch size, for definitions without their own. Default 500. */
  readonly batchSize?: number;
}

const THROUGHPUT_WINDOW_MS = 10_000;

/** Each projection's state from the bookkeeping tables: works in any process (e.g. the API in server mode). */
export async function readProjectionStatuses(sql: SqlQueryable, options: StatusOptions): Promise<ProjectionStatus[]> {
  const names = options.definitions.map((definition) => definition.name);
  const rows = await readGenerations(sql, names, { statuses: ['serving', 'stale', 'building'] });
  const probe = logProbe(options.store, sql);
  return Promise.all(
    options.definitions.map((definition) => {
      const own = rows.filter((row) => row.name === definition.name);
      return statusOf(sql, probe, definition, own.find((row) => row.status !== 'building'), own.find((row) => row.status === 'building'), options);
    }),
  );
}

async function statusOf(
  sql: SqlQueryable,
  probe: LogProbe,
  definition: StatusSubject,
  serving: GenerationRow | undefined,
  building: GenerationRow | undefined,
  options: StatusOptions,
): Promise<ProjectionStatus> {
  const now = options.now.getTime();
  const [pending, parked, rebuild] = await Promise.all([
    serving ? probe.pending(serving.checkpoint) : probe.pending({ commit: 0n, prepare: 0n }),
    serving ? readParkedEvents(sql, definition.name, serving.generation) : Promise.resolve({ count: 0, events: [] }),
    building ? rebuildStatusOf(sql, probe, building) : Promise.resolve(null),
  ]);
  const lag = { events: pending.events, seconds: pending.oldestRecordedAt ? Math.max(0, (now - Date.parse(pending.oldestRecordedAt)) / 1000) : 0 };
  const heartbeat = serving?.heartbeatAt?.getTime();
  const alive = heartbeat !== undefined && now - heartbeat <= 3 * (options.lockRetryMs ?? DEFAULT_LOCK_RETRY_MS);
  const batchSize = definition.batchSize ?? options.batchSize ?? DEFAULT_BATCH_SIZE;
  const status: ProjectionRunStatus = !serving || !alive
    ? 'stopped'
    : serving.lastError
      ? 'failed'
      : serving.status === 'stale'
        ? 'stale'
        : lag.events > batchSize
          ? 'catching_up'
          : 'live';
  const recent = serving?.lastBatchAt && now - serving.lastBatchAt.getTime() <= THROUGHPUT_WINDOW_MS;
  return {
    name: definition.name,
    version: definition.version,
    servingVersion: serving?.version ?? null,
    generation: serving?.generation ?? null,
    status,
    position: serving?.position ?? null,
    checkpoint: serving ? formatCheckpoint(serving.checkpoint) : null,
    lag,
    eventsPerSecond: recent ? serving!.eventsPerSecond : 0,
    eventsProcessed: serving?.eventsProcessed ?? 0,
    owner: serving?.owner ?? null,
    heartbeatAt: serving?.heartbeatAt?.toISOString() ?? null,
    parked,
    rebuild,
    lastError: serving?.lastError ?? null,
  };
}

async function rebuildStatusOf(sql: SqlQueryable, probe: LogProbe, building: GenerationRow): Promise<RebuildStatus> {
  const [pending, parked] = await Promise.all([probe.pending(building.checkpoint), readParkedEvents(sql, building.name, building.generation)]);
  const total = building.eventsProcessed + pending.events;
  return {
    generation: building.generation,
    version: building.version,
    status: building.swapHeld ? 'held' : 'building',
    position: building.position,
    progress: total === 0 ? null : building.eventsProcessed / total,
    eventsProcessed: building.eventsProcessed,
    startedAt: building.startedAt.toISOString(),
    lastError: building.lastError,
    held: building.swapHeld,
    parked,
  };
}
