import { setFlagsFromString } from 'node:v8';

/**
 * Keeps WebAssembly compiled after this call on V8's baseline compiler (Liftoff): no tier-up of
 * hot functions to TurboFan. For a CLI import into the embedded store, whose PostgreSQL is a
 * 9 MB WebAssembly module booted by the command itself.
 *
 * V8 recompiles every function that gets hot with TurboFan on background threads, and the
 * database thread waits about 0.2 s for that before its first statement. A short import pays
 * for the compilation and hardly runs the result; a long one needs it. Measured on a 2-core
 * machine, each size in turn with and without (docs/benchmarks.md, "On the embedded store"):
 * 19,192 events in 1.86–2.65 s against 2.48–3.15 s (six pairs); 96,500 as fast either way;
 * 287,000 no faster; 962,166 in 43–45 s against 27–30 s. Hence files up to
 * BASELINE_TIER_MAX_LINES only.
 *
 * V8 reads the flag when it compiles a module, so this is called before the store is opened. It
 * holds for the whole process (worker threads included); the server, which runs for hours, keeps
 * V8's default.
 */
export function keepWasmOnBaselineTier(): void {
  setFlagsFromString('--liftoff-only');
}

/** Lines of an import file up to which `ahe import` keeps PGlite on Liftoff: between the sizes measured to gain and to break even. */
export const BASELINE_TIER_MAX_LINES = 50_000;
