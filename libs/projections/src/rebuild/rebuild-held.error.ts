/**
 * The generation built for a rebuild caught up but parked events the serving generation did not
 * park, so it was held back from the swap (swap_held): it never will swap in, and the serving
 * generation keeps serving. Fixing the cause and rebuilding again replaces it.
 */
export class RebuildHeldError extends Error {
  override readonly name = 'RebuildHeldError';

  constructor(readonly projection: string, readonly generation: number, reason: string) {
    super(reason);
  }
}
