import { SingleBar } from 'cli-progress';
import type { AppConfig } from '@ahe/platform';
import type { ProjectionDefinition } from '@ahe/projections';
import { stderrLogger } from './cli-output';
import type { CliStore } from './cli-store';

export interface RebuildFigures {
  readonly name: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/**
 * Failures in a row of the generation being built, with no batch committed between them, before
 * the command gives up. Its owner starts it again from the same checkpoint after a doubling
 * backoff (RestartBackoff), so the third is the same batch failing a third time, seconds on.
 * What an owner records is an error it could not get past, not an outage (an outage the command
 * waits out, the engine's warnings on stderr): only a change someone makes fixes it, so the one
 * waiting here is told. The owner, a server above all, keeps trying: a fix lets it go on.
 */
export const GIVE_UP_AFTER_FAILURES = 3;

/** The generation being built failed GIVE_UP_AFTER_FAILURES times in a row; the message is its last error. */
export class RebuildFailedError extends Error {
  override readonly name = 'RebuildFailedError';

  constructor(readonly generation: number, error: string) {
    super(error);
  }
}

/**
 * Rebuilds `name` blue/green with a progress bar on stderr and answers its figures once swapped
 * in. Rejects with RebuildFailedError when the new generation keeps failing, with the projection
 * engine's RebuildHeldError when it is held, and with the signal's reason when interrupted.
 */
export async function rebuildProjection(
  target: CliStore,
  config: AppConfig,
  definitions: readonly ProjectionDefinition[],
  name: string,
  signal: AbortSignal,
): Promise<RebuildFigures> {
  const selected = definitions.filter((definition) => definition.name === name);
  const { ProjectionEngine, readProjectionStatuses } = await import('@ahe/projections');
  const engine = new ProjectionEngine({
    sql: target.sql,
    store: target.store,
    definitions: selected,
    batchSize: config.projections.batchSize,
    lockRetryMs: config.projections.lockRetryMs,
    logger: stderrLogger(config.logLevel),
  });
  const bar = new SingleBar({
    stream: process.stderr,
    format: `rebuilding ${name} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {eta_formatted} left`,
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    etaBuffer: 50,
    fps: 10,
  });
  const started = performance.now();
  let events = 0;
  const giveUp = new AbortController();
  bar.start(1, 0, { rate: 0 });
  try {
    await engine.rebuild(name, {
      signal: AbortSignal.any([signal, giveUp.signal]),
      onFailure: ({ generation, error, inARow }) => {
        if (inARow >= GIVE_UP_AFTER_FAILURES) giveUp.abort(new RebuildFailedError(generation, error));
      },
      onProgress: ({ eventsProcessed, eventsTotal }) => {
        events = eventsProcessed;
        const seconds = (performance.now() - started) / 1000;
        bar.setTotal(Math.max(eventsTotal, 1));
        bar.update(eventsProcessed, { rate: Math.round(eventsProcessed / Math.max(seconds, 0.001)).toLocaleString('en') });
      },
    });
    bar.update(bar.getTotal());
  } finally {
    bar.stop();
    await engine.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  // The last batches may land after the last progress report: the swapped generation's own count is exact.
  const [status] = await readProjectionStatuses(target.sql, { definitions: selected, store: target.store, now: new Date() });
  events = Math.max(events, status?.eventsProcessed ?? 0);
  return { name, events, seconds, eventsPerSecond: Math.round(events / Math.max(seconds, 0.001)) };
}

export function describeFigures(figures: RebuildFigures): string {
  return `Rebuilt ${figures.name} and swapped it in: ${figures.events.toLocaleString('en')} events in ${figures.seconds.toFixed(1)} s ` +
    `(${figures.eventsPerSecond.toLocaleString('en')} events/s)`;
}
