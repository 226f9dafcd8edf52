import type { SbgObservation } from '@ahe/analytics';

/**
 * The published sBG example (Fader & Hardie 2007): percent of 1,000 customers still active at
 * the start of years 0–7, and the maximum-likelihood fits the paper reports.
 */
export const COHORTS = [
  { segment: 'regular', alive: [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1], alpha: 0.704, beta: 1.182 },
  { segment: 'high end', alive: [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1], alpha: 0.668, beta: 3.806 },
] as const;

export type Cohort = (typeof COHORTS)[number];

const CUSTOMERS = 1_000;
const FIRST_YEAR = 2015;
/** After the seventh renewal decision: what the fits of the paper see. */
export const AFTER_SEVENTH_DECISION = '2022-06-01T00:00:00.000Z';

/** How many of the cohort survived each decision: survivors[t] renewed t times. */
const survivorsOf = (cohort: Cohort) => cohort.alive.map((percent) => Math.round((percent / 100) * CUSTOMERS));

/** Customer by customer: renewals won, and whether the next decision was lost (else still in its term). */
function customersOf(cohort: Cohort): { renewals: number; churned: boolean }[] {
  const survivors = survivorsOf(cohort);
  return survivors.flatMap((alive, year) => {
    const last = year === survivors.length - 1;
    const leaving = last ? alive : alive - survivors[year + 1]!;
    return Array.from({ length: leaving }, () => ({ renewals: year, churned: !last }));
  });
}

/** One-year contracts from 1 January 2015; each renewal is decided on 1 December of its year. */
const decidedOn = (renewal: number) => `${FIRST_YEAR + renewal}-12-01T00:00:00.000Z`;
const endOfYear = (renewal: number) => `${FIRST_YEAR + renewal}-12-31`;

/**
 * The cohorts as import lines: an account per customer, opened with a one-year contract, a
 * RenewalWon per year survived and a RenewalLost in the year it churned.
 */
export function cohortImportLines(prefix: string): object[] {
  return COHORTS.flatMap((cohort) =>
    customersOf(cohort).flatMap(({ renewals, churned }, index) => {
      const accountId = `${prefix}-${cohort.segment.replace(' ', '-')}-${index + 1}`;
      const line = (type: string, occurredAt: string, data: object) => ({ accountId, type, occurredAt, data });
      return [
        line('AccountOpened', `${FIRST_YEAR}-01-01T00:00:00.000Z`, {
          name: `Customer ${index + 1}`, segment: cohort.segment, managerId: 'mgr-sbg', currency: 'EUR',
          contract: { startsOn: `${FIRST_YEAR}-01-01`, endsOn: endOfYear(0), annualValue: 1_000_00 },
        }),
        ...Array.from({ length: renewals }, (_, year) => line('RenewalWon', decidedOn(year), { endsOn: endOfYear(year + 1), annualValue: 1_000_00 })),
        ...(churned ? [line('RenewalLost', decidedOn(renewals), { reason: 'Left' })] : []),
      ];
    }),
  );
}

/** What an sBG fit as of an instant sees of a cohort: decisions after it are unknown, so those customers are in their term. */
export function cohortObservationsAsOf(cohort: Cohort, asOf: string): SbgObservation[] {
  const known = [...Array(8).keys()].filter((renewal) => decidedOn(renewal) <= asOf).length;
  return customersOf(cohort).map(({ renewals, churned }) =>
    renewals < known ? { renewals, churned } : { renewals: known, churned: false },
  );
}
