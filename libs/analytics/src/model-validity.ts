import { atLowerParameterBound, atParameterBound } from './maximize-log-likelihood';
import type { BgNbdParams, FitReport, GammaGammaParams, SbgParams } from './model.types';
import { figure } from './unreliable-estimate.error';

/**
 * Whether a model's parameters, or a fit's, can value a customer; each check answers null when
 * they can, or the reason they cannot, worded for a log line or a report. A fit that is refused
 * is not used: the caller values the account with the next model of its fallback order.
 */

const describe = (params: object): string =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${figure(value as number)}`)
    .join(', ');

/** Only the model's own parameters are read: callers pass fits that carry n and a log-likelihood too. */
function notPositiveFinite(params: Readonly<Record<string, number>>): string | null {
  const bad = Object.entries(params).filter(([, value]) => !(typeof value === 'number' && value > 0 && Number.isFinite(value)));
  return bad.length === 0 ? null : `${bad.map(([name]) => name).join(', ')} must be positive and finite (${describe(params)})`;
}

/** BG/NBD's r, α, a, b: positive and finite, or the Gamma and Beta mixing laws do not exist. */
export const bgnbdParamsProblem = ({ r, alpha, a, b }: BgNbdParams): string | null => notPositiveFinite({ r, alpha, a, b });

/** Gamma-Gamma's p, q, v positive and finite, and q > 1: below it mean spend is infinite. */
export function gammaGammaParamsProblem({ p, q, v }: GammaGammaParams): string | null {
  const positive = notPositiveFinite({ p, q, v });
  if (positive !== null) return positive;
  return q > 1 ? null : `spend has no mean unless q > 1 (${describe({ p, q, v })})`;
}

export const sbgParamsProblem = ({ alpha, beta }: SbgParams): string | null => notPositiveFinite({ alpha, beta });

type Params = BgNbdParams | GammaGammaParams | SbgParams;

function fitProblem<P extends Params>(fit: FitReport<P>, paramsProblem: (params: P) => string | null): string | null {
  const params = paramsProblem(fit.params);
  if (params !== null) return params;
  if (!Number.isFinite(fit.logLikelihood)) return `log-likelihood is ${fit.logLikelihood} (${describe(fit.params)})`;
  return null;
}

const notConverged = (fit: FitReport<Params>): string =>
  `the optimizer did not converge in ${fit.evaluations} evaluations (${describe(fit.params)}, log-likelihood ${figure(fit.logLikelihood)}, n=${fit.n})`;

/**
 * A BG/NBD fit must have converged, and off the optimizer's e^±25 wall: a likelihood still
 * improving as a parameter runs away identifies nothing (three customers, one rate for all).
 */
export function bgnbdFitProblem(fit: FitReport<BgNbdParams>): string | null {
  const problem = fitProblem(fit, bgnbdParamsProblem);
  if (problem !== null) return problem;
  if (!fit.converged) return notConverged(fit);
  if (atParameterBound(fit.params)) return `a parameter ran into the optimizer's bound of e^±25: the data does not identify the model (${describe(fit.params)}, n=${fit.n})`;
  return null;
}

export function gammaGammaFitProblem(fit: FitReport<GammaGammaParams>): string | null {
  const problem = fitProblem(fit, gammaGammaParamsProblem);
  if (problem !== null) return problem;
  return fit.converged ? null : notConverged(fit);
}

// Past this α + β the Beta law of the churn probability has collapsed onto its mean: the
// geometric model, whose DERL depends on α/(α + β) alone.
const GEOMETRIC_LIMIT = 1e6;

/**
 * An sBG fit must have converged — except on its way to the geometric limit: with no
 * heterogeneity in the data the likelihood keeps rising as α and β grow in a fixed ratio, so the
 * simplex runs out of iterations on that ridge, but the ratio (the churn rate) is pinned down.
 * α or β driven onto the lower wall is another limit: a Beta law split between customers who
 * churn at once and customers who never do, under which every survivor is worth a perpetuity.
 */
export function sbgFitProblem(fit: FitReport<SbgParams>): string | null {
  const problem = fitProblem(fit, sbgParamsProblem);
  if (problem !== null) return problem;
  if (atLowerParameterBound(fit.params)) {
    return `α or β ran into the optimizer's bound of e^-25: the data does not identify a churn rate for those who stay (${describe(fit.params)}, n=${fit.n})`;
  }
  return fit.converged || fit.params.alpha + fit.params.beta >= GEOMETRIC_LIMIT ? null : notConverged(fit);
}

/**
 * Renewal histories in which nobody has churned yet put the churn rate's likelihood maximum at 0
 * (α → 0): every contract would be valued as a perpetuity. Such a segment is not fitted.
 */
export function sbgDataProblem(observations: readonly { readonly churned: boolean; readonly count?: number }[]): string | null {
  if (observations.some((observation) => observation.churned)) return null;
  const customers = observations.reduce((sum, observation) => sum + (observation.count ?? 1), 0);
  return `no customer of the segment has churned yet (${customers} observed): a churn rate of 0 would value every contract as a perpetuity`;
}
