import { nelderMead } from 'fmin';

/** The best of several Nelder-Mead runs, on the parameters' logarithms (so they stay positive). */
export interface LogLikelihoodMaximum {
  readonly params: readonly number[];
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly evaluations: number;
}

const MAX_ITERATIONS = 2_000;
const TOLERANCE = 1e-9;
// Beyond e^±25 a parameter is degenerate (a likelihood that keeps improving as it runs away,
// e.g. nobody churned); walling it off keeps the special functions out of overflow.
const LOG_PARAM_LIMIT = 25;

/**
 * A parameter ran into the wall of e^±25 (within e^0.5 of it): the likelihood kept improving as
 * it ran away, so the data does not identify the model (too little data, or no heterogeneity).
 * Some limits stay meaningful (sBG's is the geometric model); others (BG/NBD's) are not usable.
 */
export function atParameterBound(params: object): boolean {
  return (Object.values(params) as number[]).some((value) => !(Math.abs(Math.log(value)) < LOG_PARAM_LIMIT - 0.5));
}

/** Like atParameterBound, the lower wall only: a parameter driven towards 0. */
export function atLowerParameterBound(params: object): boolean {
  return (Object.values(params) as number[]).some((value) => !(Math.log(value) > 0.5 - LOG_PARAM_LIMIT));
}

/**
 * Maximizes `logLikelihood` over positive parameters, starting from each of `starts` and
 * restarting once from the best point: Nelder-Mead can stall on a ridge, and a fresh simplex
 * there either confirms the optimum or moves on. A NaN or infinite likelihood counts as the
 * worst possible, so the simplex backs away from it.
 */
export function maximizeLogLikelihood(
  logLikelihood: (params: readonly number[]) => number,
  starts: readonly (readonly number[])[],
): LogLikelihoodMaximum {
  let evaluations = 0;
  const negative = (logParams: number[]): number => {
    evaluations += 1;
    if (logParams.some((value) => !(Math.abs(value) <= LOG_PARAM_LIMIT))) return Infinity;
    const value = logLikelihood(logParams.map(Math.exp));
    return Number.isFinite(value) ? -value : Infinity;
  };
  const run = (start: readonly number[]) => {
    let iterations = 0;
    const history = { push: () => (iterations += 1) };
    const { x, fx } = nelderMead(negative, start.map(Math.log), { maxIterations: MAX_ITERATIONS, minErrorDelta: TOLERANCE, history });
    return { x, fx, converged: iterations < MAX_ITERATIONS };
  };
  const best = starts.map(run).reduce((a, b) => (b.fx < a.fx ? b : a));
  const polished = run(best.x.map(Math.exp));
  const final = polished.fx <= best.fx ? polished : best;
  return { params: final.x.map(Math.exp), logLikelihood: -final.fx, converged: final.converged && Number.isFinite(final.fx), evaluations };
}
