import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  assertPortfolioOptions, CHURN_MODES, DEFAULT_ENDS_AT, DEFAULT_SEED, generatePortfolio, seedPortfolio, type ChurnMode, type PortfolioOptions,
} from '@ahe/demo';
import { loadConfig } from '@ahe/platform/config';
import { positiveInteger } from './import.command';
import { importIntoStore } from './store-import';

interface SeedOptions {
  readonly accounts: number;
  readonly years: number;
  readonly seed: number;
  readonly endsAt: string;
  readonly churn: ChurnMode;
  readonly out?: string;
  readonly json?: boolean;
}

/**
 * Writes the portfolio as NDJSON, honouring back-pressure; answers the number of lines. A file
 * that cannot be opened or written fails the command (pipeline), however much was generated.
 */
async function writePortfolio(path: string, options: PortfolioOptions): Promise<number> {
  const bar = new SingleBar({ stream: process.stderr, format: 'generating [{bar}] {percentage}% | {value}/{total} accounts', hideCursor: true, fps: 10 });
  bar.start(options.accounts, 0);
  let lines = 0;
  function* ndjson(): Generator<string> {
    let account = '';
    let accounts = 0;
    for (const line of generatePortfolio(options)) {
      if (line.accountId !== account) bar.update(accounts++), (account = line.accountId);
      lines += 1;
      yield `${JSON.stringify(line)}\n`;
    }
    bar.update(accounts);
  }
  const file = createWriteStream(path);
  let opened = false;
  let writeError: Error | undefined;
  file.once('open', () => (opened = true)).once('error', (error) => (writeError = error));
  try {
    await pipeline(Readable.from(ndjson()), file);
  } catch (error) {
    // Half a file would import as a smaller portfolio than was asked for; one never opened is not ours.
    if (opened) await rm(path, { force: true }).catch(() => undefined);
    throw writeError === undefined ? error : new Error(`cannot write ${path}: ${writeError.message}`);
  } finally {
    bar.stop();
  }
  return lines;
}

/** A number option's value, or commander's usage error naming the option. */
const finiteNumber = (name: string) => (value: string): number => {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`${name} must be a number.`);
  return number;
};

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Generate a reproducible synthetic portfolio (libs/demo/README.md) and append it to the store, or write it as NDJSON')
    .requiredOption('--accounts <n>', 'number of accounts', (value) => positiveInteger(value, '--accounts'))
    .requiredOption('--years <y>', 'years of history, ending at --ends-at', finiteNumber('--years'))
    .option('--seed <s>', 'seed of the generator', finiteNumber('--seed'), DEFAULT_SEED)
    .option('--ends-at <instant>', 'end of the simulated period (ISO 8601, not in the future)', DEFAULT_ENDS_AT)
    .addOption(new Option('--churn <mode>', 'what decides churn: the signals the health score reads, or chance at the same rates').choices(CHURN_MODES).default('signals'))
    .option('--out <file>', 'write NDJSON for `ahe import` instead of appending')
    .option('--json', 'print the result as JSON')
    .action(async (options: SeedOptions) => {
      const portfolio: PortfolioOptions = { accounts: options.accounts, years: options.years, seed: options.seed, endsAt: options.endsAt, churn: options.churn };
      assertPortfolioOptions(portfolio);
      const started = performance.now();
      if (options.out) {
        const lines = await writePortfolio(options.out, portfolio);
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(options.json ? `${JSON.stringify({ lines, accounts: options.accounts, file: options.out, seconds })}\n`
          : `Wrote ${lines.toLocaleString('en')} events of ${options.accounts} accounts to ${options.out} in ${seconds.toFixed(1)} s\n`);
        return;
      }
      await importIntoStore(loadConfig(process.env), {
        what: `seed ${options.seed}`,
        json: options.json,
        run: (store, progress) => seedPortfolio(store, portfolio, progress),
      });
    });
}
