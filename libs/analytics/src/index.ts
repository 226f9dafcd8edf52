export type { BgNbdObservation, BgNbdParams, FitReport, GammaGammaObservation, GammaGammaParams, SbgObservation, SbgParams } from './model.types';
export { fitSbg, sbgDerl, sbgLogLikelihood, sbgSurvival } from './sbg';
export { bgnbdLogLikelihood, fitBgNbd } from './bgnbd';
export { bgnbdConditionalExpectedPurchases, bgnbdDiscountedExpectedPurchases, bgnbdProbabilityAlive } from './bgnbd-expectations';
export { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood } from './gamma-gamma';
export { rocCurve, type RocCurve, type RocPoint, type ScoredOutcome } from './roc-curve';
export { liftByDecile, type DecileLift } from './lift-by-decile';
export { atParameterBound } from './maximize-log-likelihood';
export {
  bgnbdFitProblem,
  bgnbdParamsProblem,
  gammaGammaFitProblem,
  gammaGammaParamsProblem,
  sbgDataProblem,
  sbgFitProblem,
  sbgParamsProblem,
} from './model-validity';
export { UnreliableEstimateError } from './unreliable-estimate.error';
