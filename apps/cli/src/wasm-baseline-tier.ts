import { setFlagsFromString } from 'node:v8';
import type { AppConfig } from '@ahe/platform';

/**
 * Keeps WebAssembly compiled after this call on V8's baseline compiler (Liftoff): no tier-up of
 * hot functions to TurboFan. For a CLI import into the embedded store, whose PostgreSQL is a
 * 9 MB WebAssembly module booted by the command itself.
 *
 * V8 recompiles the functions that get hot with TurboFan on background threads while the store
 * opens, and the database thread waits for that before its first statement. A short import pays
 * for the compilation and hardly runs the result; a long one needs TurboFan's faster code. Where
 * the two meet was measured (docs/benchmarks.md, "On the embedded store"), hence
 * keepsBaselineTier.
 *
 * V8 reads the flag when it compiles a module, so this is called before the store is opened. It
 * holds for the whole process (worker threads included); the server, which runs for hours, keeps
 * V8's default.
 */
export function keepWasmOnBaselineTier(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * Lines of an import file up to which `ahe import` keeps PGlite on Liftoff: below 96,500, the
 * size at which the bench's import suite showed no gain any more (287,000 broke even in a probe,
 * 962,166 took half as long again).
 */
export const BASELINE_TIER_MAX_LINES = 50_000;

/** Whether `ahe import` of a file of `lines` lines into `store` keeps its WebAssembly on Liftoff: only the embedded store runs any. */
export const keepsBaselineTier = (store: AppConfig['store'], lines: number): boolean => store.kind === 'embedded' && lines <= BASELINE_TIER_MAX_LINES;
