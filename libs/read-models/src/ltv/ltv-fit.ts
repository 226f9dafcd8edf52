import {
  bgnbdFitProblem,
  fitBgNbd,
  fitGammaGamma,
  fitSbg,
  gammaGammaFitProblem,
  sbgDataProblem,
  sbgFitProblem,
  type BgNbdObservation,
  type FitReport,
  type GammaGammaObservation,
  type SbgObservation,
} from '@ahe/analytics';
import type { LtvFitModel, LtvFitRejection, LtvModels, LtvObservation, SbgFit, TimeAxis } from './ltv.types';

export interface LtvFitMeta {
  /** The instant the observations were taken at. */
  readonly asOf: Date;
  readonly axis: TimeAxis;
  /** Global position of the last event the observations include. */
  readonly position: number;
}

/**
 * Fits every LTV model on the observations: sBG per segment (renewal behaviour differs by
 * segment and the design fits it so), BG/NBD and Gamma-Gamma on the whole portfolio's
 * purchase streams. Identical observations are counted once with a weight, so the
 * likelihood costs what the distinct histories cost, not what the portfolio's size does.
 * A fit that cannot value a customer (not converged, on the optimizer's wall, q ≤ 1) is left
 * out and listed in `rejected` with its reason.
 */
export function fitLtvModels(observations: Iterable<LtvObservation>, meta: LtvFitMeta): LtvModels {
  const renewals = new Map<string, Map<string, SbgObservation>>();
  const purchases = new Map<string, BgNbdObservation>();
  const spends = new Map<string, GammaGammaObservation>();
  for (const observation of observations) {
    if (observation.kind === 'contractual') {
      const segment = renewals.get(observation.segment) ?? new Map<string, SbgObservation>();
      renewals.set(observation.segment, segment);
      countInto(segment, `${observation.sbg.renewals}|${observation.sbg.churned}`, observation.sbg);
    } else if (observation.kind === 'purchases') {
      countInto(purchases, `${observation.bgnbd.x}|${observation.bgnbd.tx}|${observation.bgnbd.T}`, observation.bgnbd);
      if (observation.spend !== null) countInto(spends, `${observation.spend.x}|${observation.spend.meanValue}`, observation.spend);
    }
  }
  const rejected: LtvFitRejection[] = [];
  const sbg = segmentFits(renewals, rejected);
  const bgnbd = usable('bgnbd', '', fitBgNbd([...purchases.values()]), bgnbdFitProblem, rejected);
  const gammaGamma = usable('gamma-gamma', '', fitGammaGamma([...spends.values()]), gammaGammaFitProblem, rejected);
  return {
    asOf: meta.asOf.toISOString(),
    axis: meta.axis,
    position: meta.position,
    fitId: `${meta.position}@${meta.asOf.toISOString()}`,
    sbg,
    bgnbd: bgnbd === null ? null : { ...bgnbd.params, n: bgnbd.n, logLikelihood: bgnbd.logLikelihood },
    gammaGamma: gammaGamma === null ? null : { ...gammaGamma.params, n: gammaGamma.n, logLikelihood: gammaGamma.logLikelihood },
    rejected,
  };
}

/** The fit when it can value customers; otherwise null, with the reason added to `rejected`. */
function usable<Params extends object>(
  model: LtvFitModel,
  segment: string,
  fit: FitReport<Params> | null,
  problemOf: (fit: FitReport<Params>) => string | null,
  rejected: LtvFitRejection[],
): FitReport<Params> | null {
  if (fit === null) return null;
  const reason = problemOf(fit);
  if (reason === null) return fit;
  rejected.push({ model, segment, reason });
  return null;
}

/** Segments in code-unit order, so the same data always lists its fits the same way. */
function segmentFits(renewals: ReadonlyMap<string, ReadonlyMap<string, SbgObservation>>, rejected: LtvFitRejection[]): SbgFit[] {
  const fits: SbgFit[] = [];
  for (const segment of [...renewals.keys()].sort()) {
    const observations = [...renewals.get(segment)!.values()];
    const unidentified = sbgDataProblem(observations);
    if (unidentified !== null) {
      rejected.push({ model: 'sbg', segment, reason: unidentified });
      continue;
    }
    const fit = usable('sbg', segment, fitSbg(observations), sbgFitProblem, rejected);
    if (fit !== null) fits.push({ segment, ...fit.params, n: fit.n, logLikelihood: fit.logLikelihood });
  }
  return fits;
}

function countInto<Observation extends { readonly count?: number }>(counts: Map<string, Observation>, key: string, observation: Observation): void {
  const counted = counts.get(key);
  counts.set(key, { ...observation, count: (counted?.count ?? 0) + (observation.count ?? 1) });
}
