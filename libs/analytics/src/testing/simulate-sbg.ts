import type { SbgObservation, SbgParams } from '../model.types';
import { seededRandom } from './seeded-random';

/**
 * A cohort of contractual customers from the sBG model: each draws a churn probability
 * θ ~ Beta(α, β) and faces up to `periods` renewal decisions; those who survive them all are
 * censored after `periods` renewals.
 */
export function simulateSbg({ alpha, beta }: SbgParams, { customers, periods, seed }: { customers: number; periods: number; seed: number }): SbgObservation[] {
  const random = seededRandom(seed);
  return Array.from({ length: customers }, () => {
    const theta = random.beta(alpha, beta);
    for (let renewals = 0; renewals < periods; renewals += 1) {
      if (random.uniform() < theta) return { renewals, churned: true };
    }
    return { renewals: periods, churned: false };
  });
}
