import { Option, type Command } from 'commander';
import { assertPortfolioOptions, CHURN_MODES, DEFAULT_ENDS_AT, DEFAULT_SEED, seedPortfolio, type ChurnMode, type PortfolioOptions } from '@ahe/demo';
import { loadConfig } from '@ahe/platform/config';
import { seedIntoFile } from './portfolio-file.writer';
import { accountCount, generatorSeed, MAX_ACCOUNTS, MAX_YEARS, pastInstant, yearSpan } from './seed-options';
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

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Generate a reproducible synthetic portfolio (libs/demo/README.md) and append it to the store, or write it as NDJSON')
    .requiredOption('--accounts <n>', `number of accounts: a positive integer, at most ${MAX_ACCOUNTS.toLocaleString('en')}`, accountCount)
    .requiredOption('--years <y>', `years of history, ending at --ends-at: a number above 0, at most ${MAX_YEARS}`, yearSpan)
    .option('--seed <s>', 'seed of the generator: an integer', generatorSeed, DEFAULT_SEED)
    .option('--ends-at <instant>', 'end of the simulated period: an ISO 8601 instant with a time zone, not in the future', pastInstant(), DEFAULT_ENDS_AT)
    .addOption(new Option('--churn <mode>', 'what decides churn: the signals the health score reads, or chance at the same rates').choices(CHURN_MODES).default('signals'))
    .option('--out <file>', 'write NDJSON for `ahe import` instead of appending: the whole file or, stopped or failed, none (an existing one is left as it was)')
    .option('--json', 'print the result as JSON')
    .action(async (options: SeedOptions) => {
      const portfolio: PortfolioOptions = { accounts: options.accounts, years: options.years, seed: options.seed, endsAt: options.endsAt, churn: options.churn };
      assertPortfolioOptions(portfolio);
      if (options.out) {
        await seedIntoFile(options.out, portfolio, options.json);
        return;
      }
      await importIntoStore(loadConfig(process.env), {
        what: `seed ${options.seed}`,
        json: options.json,
        run: (store, progress) => seedPortfolio(store, portfolio, progress),
      });
    });
}
