import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import type { AppConfig } from '@ahe/platform';
import { loadConfig } from '@ahe/platform/config';
import type { ProjectionDefinition } from '@ahe/projections';
import { stderrLogger } from './cli-output';
import { openCliStore, type CliStore } from './cli-store';
import { EXIT } from './exit-codes';
import { CommandInterruptedError, interruptible } from './interruptible';

interface RebuildOptions {
  readonly all?: boolean;
  readonly json?: boolean;
}

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
const GIVE_UP_AFTER_FAILURES = 3;

/** The generation being built failed GIVE_UP_AFTER_FAILURES times in a row; the message is its last error. */
class RebuildFailedError extends Error {
  override readonly name = 'RebuildFailedError';

  constructor(readonly generation: number, error: string) {
    super(error);
  }
}

const LEFT_AS_IT_WAS = 'the serving generation keeps serving. ' +
  'A generation built here is left unfinished (run the rebuild again); one a running server had taken goes on there.';

export function registerRebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description('Rebuild a projection blue/green: fill a new generation from the start of the log, then swap it in. ' +
      'The current generation keeps serving queries meanwhile. Exits 1 if it fails, a generation that fails ' +
      `${GIVE_UP_AFTER_FAILURES} times in a row on the same events included, and if the new generation parked events ` +
      'the serving one did not park (it is then not swapped in). Same DATABASE_URL / DATA_DIR as the server.')
    .argument('[name]', 'the projection, e.g. account_health')
    .option('--all', 'rebuild every projection, one after the other')
    .option('--json', 'print the figures as JSON, one object per projection')
    .action(async (name: string | undefined, options: RebuildOptions) => {
      const config = loadConfig();
      const { readModelProjectionsFor } = await import('@ahe/read-models');
      const { RebuildHeldError } = await import('@ahe/projections');
      const definitions = readModelProjectionsFor(config);
      const names = selectedNames(definitions, name, options);
      if (names === undefined) return;
      await interruptible('Stopping the rebuild after the batch in flight', async (signal) => {
        let target: CliStore | undefined;
        let current = names[0];
        try {
          target = await openCliStore(config, { existing: true });
          for (const selected of names) {
            signal.throwIfAborted();
            current = selected;
            const figures = await rebuildOne(target, config, definitions, selected, signal);
            process.stdout.write(options.json ? `${JSON.stringify(figures)}\n` : `${describe(figures)}\n`);
          }
        } catch (error) {
          if (error instanceof RebuildFailedError) {
            process.stderr.write(`Rebuild of ${current} failed: ${error.message}\n` +
              `Generation ${error.generation} failed ${GIVE_UP_AFTER_FAILURES} times in a row on the same events; ${LEFT_AS_IT_WAS}\n`);
            process.exitCode = EXIT.failed;
          } else if (error instanceof RebuildHeldError) {
            process.stderr.write(`Rebuild of ${current} held: ${error.message}; the serving generation keeps serving.\n` +
              `${parkedEventsHint(current, error.generation)}\nFix their cause and run the rebuild again: it replaces generation ${error.generation}.\n`);
            process.exitCode = EXIT.failed;
          } else if (error instanceof CommandInterruptedError) {
            process.stderr.write(`Rebuild of ${current} ${error.message}: ${LEFT_AS_IT_WAS}\n`);
            process.exitCode = EXIT.interrupted;
          } else {
            throw error;
          }
        } finally {
          await target?.close();
        }
      });
    });
}

function parkedEventsHint(name: string, generation: number): string {
  return 'See each parked event and its error under rebuild.parked in GET /v1/projections, or in SQL: ' +
    `SELECT global_position, stream_id, type, error FROM projection_parked_events WHERE name = '${name}' AND generation = ${generation} ORDER BY global_position;`;
}

/** The projections to rebuild, or undefined after saying why the call is wrong (EXIT.usage). */
function selectedNames(definitions: readonly ProjectionDefinition[], name: string | undefined, options: RebuildOptions): string[] | undefined {
  const known = definitions.map((definition) => definition.name);
  const refuse = (message: string): undefined => {
    process.stderr.write(`${message}\nProjections: ${known.join(', ')}\n`);
    process.exitCode = EXIT.usage;
    return undefined;
  };
  if (options.all) return name === undefined ? known : refuse('Give a projection name or --all, not both.');
  if (name === undefined) return refuse('Which projection? Give its name, or --all.');
  return known.includes(name) ? [name] : refuse(`No projection is named ${name}.`);
}

async function rebuildOne(
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

function describe(figures: RebuildFigures): string {
  return `Rebuilt ${figures.name} and swapped it in: ${figures.events.toLocaleString('en')} events in ${figures.seconds.toFixed(1)} s ` +
    `(${figures.eventsPerSecond.toLocaleString('en')} events/s)`;
}
