#!/usr/bin/env -S node --min-semi-space-size=16
// The V8 flags here and in package.json's "cli" script are the same (cli-node-flags.spec.ts); docs/operations.md says why.
import 'reflect-metadata';
import { Command } from 'commander';
import { registerImportCommand } from './import.command';
import { registerRebuildCommand } from './rebuild.command';
import { registerReplayCommand } from './replay.command';
import { registerSeedCommand } from './seed.command';
import { registerVerifyCommand } from './verify.command';
import { registerBenchCommand } from './bench.command';
import { reportFailure } from './cli-output';

/**
 * `ahe`: operations on the store that the server uses (same DATABASE_URL / DATA_DIR).
 * `npm run cli -- <command>` or, once installed, `ahe <command>`.
 */
async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('ahe')
    .description('Account Health Engine command line')
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerImportCommand(program);
  registerSeedCommand(program);
  registerRebuildCommand(program);
  registerReplayCommand(program);
  registerVerifyCommand(program);
  registerBenchCommand(program);
  await program.parseAsync([...argv]);
}

main(process.argv).catch((error: unknown) => {
  process.exitCode = reportFailure(error);
});
