// Number, money and date formatting in the browser's locale; '—' for missing values.

const DASH = '—';
const missing = (value) => value === undefined || value === null || Number.isNaN(value);
const moneyFormats = new Map();

function moneyFormat(currency, compact) {
  const key = `${currency}:${compact}`;
  if (!moneyFormats.has(key)) {
    moneyFormats.set(key, new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: compact ? 'compact' : 'standard',
      maximumFractionDigits: compact ? 1 : 0,
    }));
  }
  return moneyFormats.get(key);
}

/**
 * Minor units per major unit of `currency` (100 for EUR, 1 for JPY, 1000 for BHD): the ISO 4217
 * digits Intl knows, as the server counts them; two, Intl's default, for a code it cannot read.
 */
const minorUnitsPerMajor = new Map();
function minorUnitsOf(currency) {
  if (!minorUnitsPerMajor.has(currency)) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      // money() then shows the amount as a plain number beside the code.
    }
    minorUnitsPerMajor.set(currency, 10 ** digits);
  }
  return minorUnitsPerMajor.get(currency);
}

/** Minor units of `currency` (the API's money) as money; `compact` gives '€1.2M' for cards and axes. */
export function money(minorUnits, currency = 'EUR', { compact = false } = {}) {
  if (missing(minorUnits)) return DASH;
  const major = minorUnits / minorUnitsOf(currency);
  try {
    return moneyFormat(currency, compact).format(major);
  } catch {
    return `${num(major)} ${currency}`;
  }
}

/** A plain number with grouping; `digits` fraction digits at most. */
export function num(value, digits = 0) {
  if (missing(value)) return DASH;
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: digits }).format(value);
}

/** A ratio (0.25) as a percentage ('25%'); `digits` fraction digits. */
export function pct(ratio, digits = 0) {
  if (missing(ratio)) return DASH;
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(ratio);
}

/** '2024-03-01' or an ISO instant as a short date, read in UTC so a date does not shift a day. */
export function date(iso) {
  if (!iso) return DASH;
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return String(iso);
  return value.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** An ISO instant as date and time in the browser's zone. */
export function dateTime(iso) {
  if (!iso) return DASH;
  const value = new Date(iso);
  if (Number.isNaN(value.getTime())) return String(iso);
  return value.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const BAND_COLORS = { green: '#2e9d5b', amber: '#e0a100', red: '#d64541' };
export const BANDS = ['green', 'amber', 'red'];

/** The colour of a health band (grey for an unknown one). */
export const bandColor = (band) => BAND_COLORS[band] ?? '#8a94a6';
