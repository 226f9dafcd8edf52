import { bgnbdDiscountedExpectedPurchases, gammaGammaExpectedSpend, sbgDerl } from '@ahe/analytics';
import { dayNumberOfDate, utcDayNumber } from '../scoring/utc-calendar';
import { minorUnitsPerMajor, observeLtv } from './ltv-observation';
import type { ExpectedLtv, LtvHistory, LtvModels, LtvSettings } from './ltv.types';

const DAYS_PER_YEAR = 365;
const NONE: ExpectedLtv = Object.freeze({ expected: 0, model: 'none' });

/**
 * The value the account is still expected to bring, in minor units, and the model behind it.
 * Contractual: what is left of the current term, plus — unless the renewal is already lost —
 * the annual value times the segment's DERL (the discounted renewals still to come). Others:
 * discounted expected purchases over the horizon times the expected spend per purchase.
 */
export function expectedLtv(history: LtvHistory, models: LtvModels | null, at: Date, settings: LtvSettings): ExpectedLtv {
  if (history.closedAt !== null) return NONE;
  if (history.contractual) return contractualLtv(history, models, at, settings);
  const observation = observeLtv(history, at);
  if (observation.kind !== 'purchases' || models === null || models.bgnbd === null || models.gammaGamma === null) return NONE;
  // Spend too dispersed to have a mean (q ≤ 1) gives no value to offer, rather than an infinite one.
  if (!(models.gammaGamma.q > 1)) return NONE;
  const purchases = bgnbdDiscountedExpectedPurchases(models.bgnbd, observation.bgnbd, settings.horizonWeeks, settings.discountRate);
  const spend = gammaGammaExpectedSpend(models.gammaGamma, observation.spend);
  return finiteOr({ expected: Math.round(purchases * spend * minorUnitsPerMajor(history.currency)), model: 'bgnbd-gamma-gamma' }, NONE);
}

/**
 * An estimate the special functions could not compute (a fit at the edge of what they handle)
 * falls back to what is known for sure: a NaN would fail the row's write and stall the
 * projection, and an estimate is never worth a fact.
 */
function finiteOr(estimate: ExpectedLtv, fallback: ExpectedLtv): ExpectedLtv {
  return Number.isFinite(estimate.expected) ? estimate : fallback;
}

function contractualLtv(history: LtvHistory, models: LtvModels | null, at: Date, settings: LtvSettings): ExpectedLtv {
  const annualValue = history.contract?.annualValue ?? 0;
  const remaining = annualValue * remainingTermYears(history.contract?.endsOn ?? null, at);
  const fit = history.lostAt === null ? models?.sbg.find((candidate) => candidate.segment === history.segment) : undefined;
  const contract: ExpectedLtv = { expected: Math.round(remaining), model: 'contract' };
  if (fit === undefined) return contract;
  return finiteOr({ expected: Math.round(remaining + annualValue * sbgDerl(fit, history.renewalsWon, settings.discountRate)), model: 'sbg' }, contract);
}

/** Days from `at`'s UTC day to the contract's last day, both counted, in years; 0 once it has ended. */
function remainingTermYears(endsOn: string | null, at: Date): number {
  if (endsOn === null) return 0;
  return Math.max(dayNumberOfDate(endsOn) - utcDayNumber(at.getTime()) + 1, 0) / DAYS_PER_YEAR;
}
