/**
 * The shapes every LTV model and fit shares. Time in the BG/NBD model is in weeks; money in
 * the Gamma-Gamma model is in the currency's major unit (euros, not cents).
 */

/** A maximum-likelihood fit: the parameters, the log-likelihood at them, and the data behind it. */
export interface FitReport<Params> {
  readonly params: Params;
  /** Log-likelihood of the data at `params` (natural log, summed over customers). */
  readonly logLikelihood: number;
  /** Customers in the data (the sum of the observations' counts). */
  readonly n: number;
  /** The optimizer stopped on its tolerance, not on its iteration limit. */
  readonly converged: boolean;
  /** Evaluations of the likelihood the optimizer needed. */
  readonly evaluations: number;
}

/** Shifted-beta-geometric (Fader & Hardie 2007): churn probability per period ~ Beta(alpha, beta). */
export interface SbgParams {
  readonly alpha: number;
  readonly beta: number;
}

/**
 * One contractual customer (or `count` identical ones): survived `renewals` renewal decisions,
 * then either churned at the next one (`churned`) or is still in its term (censored).
 */
export interface SbgObservation {
  readonly renewals: number;
  readonly churned: boolean;
  readonly count?: number;
}

/** BG/NBD (Fader, Hardie & Lee 2005): purchase rate ~ Gamma(r, alpha); dropout probability ~ Beta(a, b). */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * One non-contractual customer's purchase history, in weeks from their first purchase:
 * `x` repeat purchases (the first purchase is not a repeat), the last of them at `tx`
 * (0 when x = 0), observed until `T`.
 */
export interface BgNbdObservation {
  readonly x: number;
  readonly tx: number;
  readonly T: number;
  readonly count?: number;
}

/** Gamma-Gamma (Fader, Hardie & Lee 2005; Colombo & Jiang 1999): spend per purchase. */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

/** A customer with `x` ≥ 1 repeat purchases of mean value `meanValue` (> 0, major units). */
export interface GammaGammaObservation {
  readonly x: number;
  readonly meanValue: number;
  readonly count?: number;
}
