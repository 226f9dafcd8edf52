import type { Command } from 'commander';
import { quoteIdentifier } from '@ahe/database';
import { loadConfig } from '@ahe/platform/config';
import type { ProjectionDefinition, RebuildHeldError } from '@ahe/projections';
import { openCliStore, type CliStore } from './cli-store';
import { EXIT } from './exit-codes';
import { CommandInterruptedError, interruptible } from './interruptible';
import { describeFigures, GIVE_UP_AFTER_FAILURES, RebuildFailedError, rebuildProjection } from './rebuild-projection';

interface RebuildOptions {
  readonly all?: boolean;
  readonly json?: boolean;
}

/** How a projection's rebuild ended without a swap, in the summary of an --all run. */
type NotRebuilt = 'failed' | 'held';

const LEFT_AS_IT_WAS = 'the serving generation keeps serving. ' +
  'A generation built here is left unfinished (run the rebuild again); one a running server had taken goes on there.';

export function registerRebuildCommand(program: Command): void {
  program
    .command('rebuild')
    .description('Rebuild a projection blue/green: fill a new generation from the start of the log, then swap it in. ' +
      'The current generation keeps serving queries meanwhile. Exits 1 if it fails, a generation that fails ' +
      `${GIVE_UP_AFTER_FAILURES} times in a row on the same events included, and if the new generation parked events ` +
      'the serving one did not park (it is then not swapped in). With --all, one that fails or is held does not stop ' +
      'the others: it exits 1 at the end, naming each one not rebuilt. Same DATABASE_URL / DATA_DIR as the server.')
    .argument('[name]', 'the projection, e.g. account_health')
    .option('--all', 'rebuild every projection, one after the other, going on past one that fails or is held')
    .option('--json', 'print the figures as JSON, one object per projection rebuilt')
    .action(async (name: string | undefined, options: RebuildOptions) => {
      const config = loadConfig();
      const { readModelProjectionsFor } = await import('@ahe/read-models');
      const { RebuildHeldError } = await import('@ahe/projections');
      const definitions = readModelProjectionsFor(config);
      const names = selectedNames(definitions, name, options);
      if (names === undefined) return;
      const schema = config.store.kind === 'postgres' ? config.store.schema : undefined;
      const notRebuilt: string[] = [];
      await interruptible('Stopping the rebuild after the batch in flight', async (signal) => {
        let target: CliStore | undefined;
        let current = names[0];
        try {
          target = await openCliStore(config, { existing: true });
          for (const selected of names) {
            signal.throwIfAborted();
            current = selected;
            try {
              const figures = await rebuildProjection(target, config, definitions, selected, signal);
              process.stdout.write(options.json ? `${JSON.stringify(figures)}\n` : `${describeFigures(figures)}\n`);
            } catch (error) {
              const outcome = reportNotRebuilt(error, selected, { held: RebuildHeldError, schema });
              if (outcome === undefined) throw error;
              notRebuilt.push(`${selected} (${outcome})`);
            }
          }
        } catch (error) {
          if (!(error instanceof CommandInterruptedError)) throw error;
          // Ctrl-C stops every projection left, not the one in flight only.
          process.stderr.write(`Rebuild of ${current} ${error.message}: ${LEFT_AS_IT_WAS}\n`);
          process.exitCode = EXIT.interrupted;
          return;
        } finally {
          await target?.close();
          // A single rebuild's own message already said it; after several, the ones not rebuilt are
          // far up the scroll: named last, also when Ctrl-C or an error stopped the rest.
          if (options.all && notRebuilt.length > 0) {
            process.stderr.write(`${notRebuilt.length} of ${names.length} projections ${notRebuilt.length === 1 ? 'was' : 'were'} ` +
              `not rebuilt: ${notRebuilt.join(', ')}\n`);
          }
        }
        if (notRebuilt.length > 0) process.exitCode = EXIT.failed;
      });
    });
}

/**
 * Says on stderr why `name` was not rebuilt and answers how it ended, or undefined for an error
 * that is not a rebuild's own outcome (an interruption, the store): the caller stops for it.
 */
function reportNotRebuilt(
  error: unknown,
  name: string,
  { held, schema }: { readonly held: typeof RebuildHeldError; readonly schema: string | undefined },
): NotRebuilt | undefined {
  if (error instanceof RebuildFailedError) {
    process.stderr.write(`Rebuild of ${name} failed: ${error.message}\n` +
      `Generation ${error.generation} failed ${GIVE_UP_AFTER_FAILURES} times in a row on the same events; ${LEFT_AS_IT_WAS}\n`);
    return 'failed';
  }
  if (error instanceof held) {
    process.stderr.write(`Rebuild of ${name} held: ${error.message}; the serving generation keeps serving.\n` +
      `${parkedEventsHint(name, error.generation, schema)}\nFix their cause and run the rebuild again: it replaces generation ${error.generation}.\n`);
    return 'held';
  }
  return undefined;
}

/** `schema`: DATABASE_SCHEMA, which a psql session pasting the SQL does not have on its search_path. */
export function parkedEventsHint(name: string, generation: number, schema: string | undefined): string {
  const table = schema === undefined ? 'projection_parked_events' : `${quoteIdentifier(schema)}.projection_parked_events`;
  return 'See each parked event and its error under rebuild.parked in GET /v1/projections, or in SQL: ' +
    `SELECT global_position, stream_id, type, error FROM ${table} WHERE name = '${name.replace(/'/g, "''")}' ` +
    `AND generation = ${generation} ORDER BY global_position;`;
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
