// Pure helpers of the Models page: its URL state, number formats and the sBG curves. No DOM, no fetch.

export const HORIZONS = [30, 90, 180, 365];
export const DEFAULT_HORIZON_DAYS = 90;
export const AXES = ['occurred', 'recorded'];
const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The latest as-of date whose horizon has elapsed (UTC, as the API counts): today − horizonDays. */
export function latestAsOfDate(horizonDays, now = Date.now()) {
  return new Date(now - horizonDays * DAY_MS).toISOString().slice(0, 10);
}

/** The applied state from the hash query; anything malformed falls back to the default (the API would refuse it). */
export function modelsParams(query = {}) {
  const horizon = Number(query.horizonDays);
  const horizonDays = Number.isInteger(horizon) && horizon >= 1 && horizon <= 1095 ? horizon : DEFAULT_HORIZON_DAYS;
  const asOf = ISO_DATE.test(query.asOf ?? '') ? query.asOf : latestAsOfDate(horizonDays);
  const axis = AXES.includes(query.axis) ? query.axis : 'occurred';
  return { asOf, horizonDays, axis };
}

/** The hash that links to this state; the default axis stays out of it. */
export function modelsHash({ asOf, horizonDays, axis }) {
  const query = new URLSearchParams({ asOf, horizonDays: String(horizonDays) });
  if (axis !== 'occurred') query.set('axis', axis);
  return `#/models?${query}`;
}

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** A fitted parameter: 4 significant digits, scientific (1.23 × 10⁹) when very large or small. */
export function param(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e5 || size < 1e-3)) {
    const [mantissa, exponent] = value.toExponential(2).split('e');
    const power = String(Number(exponent)).replace(/[-\d]/g, (c) => SUPERSCRIPT[c]);
    return `${mantissa} × 10${power}`;
  }
  return String(Number(value.toPrecision(4)));
}

/** A log-likelihood: large negative sums read best with one decimal and thousands separators. */
export const logLik = (value) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 }) : '—';

/** A share 0–1 as a percentage; null (nothing to divide by) as a dash. */
export function percent(share, digits = 1) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}

/** A figure in a sentence: two significant digits, grouped (0.098, 5.1, 1,700). */
export const approx = (value) => (Number.isFinite(value) ? Number(value.toPrecision(2)).toLocaleString('en-US', { maximumFractionDigits: 6 }) : '—');

export const count = (value) => (Number.isFinite(value) ? value.toLocaleString('en-US') : '—');

/** sBG survival S(0..periods): S(t) = S(t−1)·(β+t−1)/(α+β+t−1), stable where B(α, β) overflows (α, β ~ 10⁹). */
export function sbgSurvival({ alpha, beta }, periods = 12) {
  const survival = [1];
  for (let t = 1; t <= periods; t += 1) survival.push(survival[t - 1] * ((beta + t - 1) / (alpha + beta + t - 1)));
  return survival;
}

/** Retention of the survivors at decision t: (β+t−1)/(α+β+t−1); it rises with tenure when customers differ. */
export const sbgRetention = ({ alpha, beta }, t) => (beta + t - 1) / (alpha + beta + t - 1);

/** Past this α+β the Beta has collapsed onto its mean: every customer churns alike (the geometric model). */
const HOMOGENEOUS = 1e4;

/** An sBG fit in words: the churn per renewal, and whether retention rises with tenure. */
export function sbgInWords(fit, periods = 12) {
  const churn = fit.alpha / (fit.alpha + fit.beta);
  const head = `${percent(churn)} churn per renewal on average (${percent(1 - churn)} retained)`;
  // A fit on the boundary says only that every decision so far went one way, not that it always will.
  if (churn > 0.999) return `${head}: every renewal decision seen by this date was a loss, so the fit sits on the boundary.`;
  if (churn < 0.001) return `${head}: no renewal was lost by this date, so the fit sits on the boundary.`;
  if (fit.alpha + fit.beta > HOMOGENEOUS) return `${head}; the same for every customer (no heterogeneity: a geometric model).`;
  return `${head}; retention of the survivors rises from ${percent(sbgRetention(fit, 1))} at the first renewal `
    + `to ${percent(sbgRetention(fit, periods))} at the ${ordinal(periods)}, as the likely churners leave first.`;
}

/** BG/NBD in words: the purchase rate while active and the dropout chance after a purchase. */
export function bgnbdInWords({ r, alpha, a, b }) {
  const perWeek = r / alpha;
  return `While active, a customer buys ${approx(perWeek)} times a week on average (${approx(perWeek * 52.18)} a year); `
    + `after each purchase ${percent(a / (a + b))} drop out for good.`;
}

/** Gamma-Gamma in words: the population's mean spend per purchase, which exists only for q > 1. */
export function gammaGammaInWords({ p, q, v }) {
  if (q <= 1) return 'q ≤ 1: spend per purchase is too dispersed to have a mean, so it yields no expected LTV.';
  return `Mean spend per purchase across customers: about ${approx((p * v) / (q - 1))} (major currency units); `
    + 'a customer\'s own mean weighs more the more repeat purchases they made.';
}

function ordinal(n) {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
}
