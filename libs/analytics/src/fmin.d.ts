// fmin 0.0.2 ships no types; only the part the fits use is declared.
declare module 'fmin' {
  export interface NelderMeadPoint extends Array<number> {
    fx: number;
  }

  export interface NelderMeadParameters {
    maxIterations?: number;
    /** Both the tolerance on the objective's spread and on the simplex's size in 0.0.2. */
    minErrorDelta?: number;
    nonZeroDelta?: number;
    zeroDelta?: number;
    /** Receives one entry per iteration; anything with `push` will do. */
    history?: { push(entry: unknown): unknown };
  }

  export function nelderMead(f: (x: number[]) => number, initial: number[], parameters?: NelderMeadParameters): { fx: number; x: number[] };
}
