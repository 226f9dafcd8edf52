import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { accountStreamId } from '@ahe/domain';
import type { EventStore, VerifyResult } from '@ahe/event-store';
import { ID_PATTERN } from '@ahe/events';
import type { AppConfig } from '@ahe/platform';
import { loadConfig } from '@ahe/platform/config';
import { describeFailure } from '@ahe/database';
import { checking } from './cli-output';
import { openCliStore, type CliStore } from './cli-store';
import { EXIT } from './exit-codes';
import { interruptible } from './interruptible';
import { SqlStreamIds } from './stream-ids.query';

interface VerifyOptions {
  readonly json?: boolean;
}

interface StreamSelection extends AsyncIterable<string> {
  readonly total: number;
}

export interface BrokenStream extends VerifyResult {
  readonly streamId: string;
}

export interface VerifyFigures {
  readonly streams: number;
  readonly events: number;
  readonly broken: readonly BrokenStream[];
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description("Check the hash chain of every stream in the store, or of the given accounts' streams: each event against its " +
      'hash and the hash of the one before it. Prints each broken stream with its first broken revision and exits 1 if there is one, ' +
      '3 if it could not check (configuration, connection, store). Same DATABASE_URL / DATA_DIR as the server.')
    .argument('[accountIds...]', 'the accounts to check (default: every stream)')
    .option('--json', 'print each broken stream, then the totals, as one JSON object a line')
    .action(checking(async (accountIds: string[], options: VerifyOptions) => {
      const config = loadConfig();
      await interruptible('Stopping the verification', async (signal) => {
        const target = await openCliStore(config, { existing: true });
        try {
          const selection = await selectStreams(target, config, accountIds);
          if (selection === undefined) return;
          const { interrupted, failure, ...figures } = await verifyStreams(target.store, selection, signal);
          for (const broken of figures.broken) process.stdout.write(`${options.json ? JSON.stringify(broken) : describeBroken(broken)}\n`);
          // What it found before it failed stays found: a broken chain outranks the error that cut the walk short.
          if (failure !== undefined && figures.broken.length === 0) throw failure;
          if (failure !== undefined) process.stderr.write(`The verification failed after ${figures.streams.toLocaleString('en')} streams: ${describeFailure(failure)}\n`);
          const totals = options.json ? JSON.stringify({ ...figures, broken: figures.broken.length, ...(interrupted ? { interrupted } : {}) }) : describe(figures);
          if (interrupted && !options.json) process.stderr.write(`Interrupted. ${totals}, in the streams walked so far.\n`);
          else process.stdout.write(`${totals}\n`);
          // A broken chain is the news, interrupted or not.
          if (figures.broken.length > 0) process.exitCode = EXIT.found;
          else if (interrupted) process.exitCode = EXIT.interrupted;
        } finally {
          await target.close();
        }
      });
    }));
}

/** The streams to walk, or undefined after saying why the call cannot be answered as asked (EXIT.usage). */
async function selectStreams(target: CliStore, config: AppConfig, accountIds: readonly string[]): Promise<StreamSelection | undefined> {
  const refuse = (message: string): undefined => {
    process.stderr.write(`${message}\n`);
    process.exitCode = EXIT.usage;
    return undefined;
  };
  if (accountIds.length === 0) {
    if (config.eventStoreDb) return refuse('Listing every stream needs the SQL event store; with EventStoreDB, name the accounts: ahe verify ACCOUNT_ID…');
    return SqlStreamIds.of(target.sql);
  }
  const malformed = accountIds.filter((accountId) => !ID_PATTERN.test(accountId));
  if (malformed.length > 0) return refuse(`Not an account id: ${malformed.join(', ')} (1 to 64 characters from A-Z, a-z, 0-9, "_" and "-")`);
  const streamIds = [...new Set(accountIds)].map(accountStreamId);
  const unknown: string[] = [];
  for (const streamId of streamIds) {
    const exists = (await target.store.streamRevision(streamId)) >= 0 || (await target.store.readStream(streamId, { limit: 1 })).length > 0;
    if (!exists) unknown.push(streamId);
  }
  if (unknown.length > 0) return refuse(`No such account: ${unknown.join(', ')}`);
  return {
    total: streamIds.length,
    async *[Symbol.asyncIterator]() {
      yield* streamIds;
    },
  };
}

/** One stream at a time (the store's verifyStream: as of its head when its walk began), with a progress bar on stderr. */
async function verifyStreams(
  store: EventStore,
  selection: StreamSelection,
  signal: AbortSignal,
): Promise<VerifyFigures & { readonly interrupted: boolean; readonly failure?: unknown }> {
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'verifying [{bar}] {percentage}% | {value}/{total} streams | {events} events | {broken} broken | {eta_formatted} left',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    etaBuffer: 100,
    fps: 10,
  });
  const broken: BrokenStream[] = [];
  let streams = 0;
  let events = 0;
  let interrupted = false;
  bar.start(Math.max(selection.total, 1), 0, { events: 0, broken: 0 });
  try {
    for await (const streamId of selection) {
      if (signal.aborted) {
        interrupted = true;
        break;
      }
      const result = await store.verifyStream(streamId);
      streams++;
      events += result.checked;
      if (!result.ok) broken.push({ streamId, ...result });
      bar.setTotal(Math.max(selection.total, streams));
      bar.update(streams, { events: events.toLocaleString('en'), broken: broken.length });
    }
  } catch (failure) {
    return { streams, events, broken, interrupted, failure };
  } finally {
    bar.stop();
  }
  return { streams, events, broken, interrupted };
}

function describeBroken(stream: BrokenStream): string {
  return `${stream.streamId}: broken at revision ${stream.brokenAt}${stream.reason ? ` (${stream.reason})` : ''}`;
}

function describe(figures: VerifyFigures): string {
  const verdict = figures.broken.length === 0
    ? 'every hash chain is intact'
    : `${figures.broken.length.toLocaleString('en')} broken`;
  const count = (n: number, noun: string) => `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
  return `Verified ${count(figures.streams, 'stream')}, ${count(figures.events, 'event')}: ${verdict}`;
}
