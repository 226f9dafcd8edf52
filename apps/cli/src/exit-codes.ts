import type { CommanderError } from 'commander';
import { INTERRUPTED } from './interruptible';

/**
 * What `ahe` exits with: one meaning per code across the commands, so that a script or an alert
 * can tell a finding from a failure from a mistyped call. verify and replay --verify exist to
 * find something, so their 1 is a finding and an error that kept them from looking is 3; the
 * other commands find nothing, so their 1 is a failure. `ahe bench` exits with the bench's own
 * codes (apps/bench/src/run-benchmarks.ts).
 */
export const EXIT = {
  ok: 0,
  /** verify: a hash chain is broken; replay --verify: the live read models differ from a replay. */
  found: 1,
  /** import, seed, rebuild: the command failed (an invalid import line, the store, a rebuild that keeps failing). */
  failed: 1,
  /** The call was wrong: an unknown option, a bad value, a missing argument, no such projection or account. */
  usage: 2,
  /** verify or replay --verify could not look (configuration, connection, the store): nothing is known. */
  couldNotCheck: 3,
  /** import or seed met a concurrent writer and stored nothing (else it failed): running it again is safe. EX_TEMPFAIL of sysexits.h. */
  retry: 75,
  /** Stopped by Ctrl-C or SIGTERM. */
  interrupted: INTERRUPTED,
} as const;

/** Commander's own exits: help and --version are answers, everything else it stops for is a usage error. */
export function exitCodeOf(error: CommanderError): number {
  return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
}
