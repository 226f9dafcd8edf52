import type { BgNbdObservation, GammaGammaObservation, SbgObservation } from '@ahe/analytics';

/**
 * What the LTV models need about one account, folded from its stream (`evolveLtvHistory`).
 * The same fold feeds the `ltv_customers` table, the account_health facts (expected LTV) and
 * the as-of replays (fits and backtests of any past instant), so they can never disagree.
 */
export interface LtvHistory {
  readonly segment: string;
  /** ISO 4217; amounts are in its minor unit. */
  readonly currency: string;
  /** Opened with a contract: its renewals drive its value (sBG). Otherwise its invoices are purchases (BG/NBD). */
  readonly contractual: boolean;
  /** The current contract (moved on by each RenewalWon); null without one. */
  readonly contract: { readonly endsOn: string; readonly annualValue: number } | null;
  /** RenewalWon events folded: the renewal decisions the account survived. */
  readonly renewalsWon: number;
  /** occurredAt of a RenewalLost not since won back. */
  readonly lostAt: string | null;
  /** occurredAt of AccountClosed. */
  readonly closedAt: string | null;
  /**
   * Purchases: one entry per UTC calendar day on which invoices were issued, as
   * [UTC day number (days since 1970-01-01), amount of that day's invoices in minor units],
   * ascending by day. Same-day invoices are one purchase.
   */
  readonly purchases: readonly (readonly [day: number, amount: number])[];
}

/** One account as the fits see it at an instant. */
export type LtvObservation =
  | { readonly kind: 'contractual'; readonly segment: string; readonly sbg: SbgObservation }
  | {
      readonly kind: 'purchases';
      readonly segment: string;
      readonly bgnbd: BgNbdObservation;
      /** Mean value of the repeat purchases in the currency's major unit; null without a repeat purchase. */
      readonly spend: GammaGammaObservation | null;
    }
  /** Nothing to fit yet: a non-contractual account with no invoice. */
  | { readonly kind: 'none' };

export type TimeAxis = 'occurred' | 'recorded';

export interface SbgFit {
  readonly segment: string;
  readonly alpha: number;
  readonly beta: number;
  readonly n: number;
  readonly logLikelihood: number;
}

export interface BgNbdFit {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
  readonly n: number;
  readonly logLikelihood: number;
}

export interface GammaGammaFit {
  readonly p: number;
  readonly q: number;
  readonly v: number;
  readonly n: number;
  readonly logLikelihood: number;
}

export type LtvFitModel = 'sbg' | 'bgnbd' | 'gamma-gamma';

/**
 * A fit that was computed but is not used (docs/analytics.md, "When a fit is not used"): its
 * accounts are valued by the next model of their fallback order. `segment` is '' for the
 * portfolio-wide BG/NBD and Gamma-Gamma fits.
 */
export interface LtvFitRejection {
  readonly model: LtvFitModel;
  readonly segment: string;
  readonly reason: string;
}

/** Every fitted LTV model at one instant: the body of GET /v1/ltv/models. */
export interface LtvModels {
  /** The instant the data is taken as of (T in BG/NBD is measured to it). ISO 8601. */
  readonly asOf: string;
  readonly axis: TimeAxis;
  /** Global position of the last event the data includes. */
  readonly position: number;
  /** Identifies this fit; account_health rows record the fit their expected LTV used. */
  readonly fitId: string;
  /** One sBG fit per segment with at least one renewal decision, by segment name. */
  readonly sbg: readonly SbgFit[];
  readonly bgnbd: BgNbdFit | null;
  readonly gammaGamma: GammaGammaFit | null;
  /**
   * Fits refused (not converged, parameters without a mean): sbg per segment, then bgnbd, then
   * gamma-gamma. Always present on what the engine fits or stores; optional for hand-made fits.
   */
  readonly rejected?: readonly LtvFitRejection[];
}

/** The `ltv` section of the scoring rules: how expected LTV is discounted and how far ahead it looks. */
export interface LtvSettings {
  /** Annual discount rate, e.g. 0.1. */
  readonly discountRate: number;
  /** Horizon of the BG/NBD × Gamma-Gamma value, in weeks. */
  readonly horizonWeeks: number;
}

/**
 * Which model produced an account's expected LTV: `sbg` (remaining contract + DERL × annual
 * value), `bgnbd-gamma-gamma` (discounted expected purchases × expected spend), `contract`
 * (remaining contract only: lost renewal, or no sBG fit for the segment yet), `none`.
 */
export type LtvModelName = 'sbg' | 'bgnbd-gamma-gamma' | 'contract' | 'none';

export interface ExpectedLtv {
  /** Minor units, rounded to an integer; always finite and ≥ 0. */
  readonly expected: number;
  readonly model: LtvModelName;
  /** Why the account's own model could not value it and `model` is a fallback, when a computation failed. */
  readonly fallbackReason?: string;
}
