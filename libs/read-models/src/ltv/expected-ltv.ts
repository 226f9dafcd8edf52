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
 * Always finite and ≥ 0: a model that cannot give such a value yields to the next one.
 */
export function expectedLtv(history: LtvHistory, models: LtvModels | null, at: Date, settings: LtvSettings): ExpectedLtv {
  if (history.closedAt !== null) return NONE;
  if (history.contractual) return contractualLtv(history, models, at, settings);
  const observation = observeLtv(history, at);
  const { bgnbd, gammaGamma } = models ?? { bgnbd: null, gammaGamma: null };
  if (observation.kind !== 'purchases' || bgnbd === null || gammaGamma === null) return NONE;
  return estimateOr(NONE, () => {
    const purchases = bgnbdDiscountedExpectedPurchases(bgnbd, observation.bgnbd, settings.horizonWeeks, settings.discountRate);
    const spend = gammaGammaExpectedSpend(gammaGamma, observation.spend);
    return { expected: Math.round(purchases * spend * minorUnitsPerMajor(history.currency)), model: 'bgnbd-gamma-gamma' };
  });
}

/**
 * An estimate that cannot be computed to a finite value ≥ 0 (parameters the model refuses, or
 * arithmetic that would lose its digits: the analytics functions throw a RangeError saying
 * which) falls back to what is known for sure, with the reason: a NaN would fail the row's
 * write and stall the projection, a negative value would be wrong, and an estimate is never
 * worth a fact.
 */
function estimateOr(fallback: ExpectedLtv, estimate: () => ExpectedLtv): ExpectedLtv {
  let value: ExpectedLtv;
  try {
    value = estimate();
  } catch (error) {
    if (error instanceof RangeError) return { ...fallback, fallbackReason: error.message };
    throw error;
  }
  if (value.expected >= 0 && Number.isFinite(value.expected)) return value;
  return { ...fallback, fallbackReason: `${value.model} expected LTV came out ${value.expected}` };
}

function contractualLtv(history: LtvHistory, models: LtvModels | null, at: Date, settings: LtvSettings): ExpectedLtv {
  const annualValue = history.contract?.annualValue ?? 0;
  const remaining = annualValue * remainingTermYears(history.contract?.endsOn ?? null, at);
  const fit = history.lostAt === null ? models?.sbg.find((candidate) => candidate.segment === history.segment) : undefined;
  const contract: ExpectedLtv = { expected: Math.round(remaining), model: 'contract' };
  if (fit === undefined) return contract;
  return estimateOr(contract, () => ({ expected: Math.round(remaining + annualValue * sbgDerl(fit, history.renewalsWon, settings.discountRate)), model: 'sbg' }));
}

/** Days from `at`'s UTC day to the contract's last day, both counted, in years; 0 once it has ended. */
function remainingTermYears(endsOn: string | null, at: Date): number {
  if (endsOn === null) return 0;
  return Math.max(dayNumberOfDate(endsOn) - utcDayNumber(at.getTime()) + 1, 0) / DAYS_PER_YEAR;
}
