#!/usr/bin/env -S node --min-semi-space-size=16
// The V8 flags here and in package.json's "cli" script are the same (cli-node-flags.spec.ts); docs/operations.md says why.
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerImportCommand } from './import.command';
import { registerRebuildCommand } from './rebuild.command';
import { registerReplayCommand } from './replay.command';
import { registerSeedCommand } from './seed.command';
import { registerVerifyCommand } from './verify.command';
import { registerBenchCommand } from './bench.command';
import { reportFailure } from './cli-output';
import { exitCodeOf } from './exit-codes';

/**
 * `ahe`: operations on the store that the server uses (same DATABASE_URL / DATA_DIR).
 * `npm run cli -- <command>` or, once installed, `ahe <command>`.
 */
async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('ahe')
    .description('Account Health Engine command line')
    .version(projectVersion())
    // Before the commands are registered: they inherit it. Commander's usage errors then come
    // back as a CommanderError instead of exiting 1, the code verify and replay keep for a finding.
    .exitOverride()
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

/** The project's package.json is the nearest above this file, in the source and in the build (dist/) alike. */
function projectVersion(): string {
  for (let folder = __dirname; folder !== dirname(folder); folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

main(process.argv).catch((error: unknown) => {
  // Commander has said what was wrong already.
  process.exitCode = error instanceof CommanderError ? exitCodeOf(error) : reportFailure(error);
});
