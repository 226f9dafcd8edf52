import type { GammaGammaObservation, GammaGammaParams } from '../model.types';
import { seededRandom } from './seeded-random';

/**
 * Customers from the Gamma-Gamma model: ν ~ Gamma(q, v), each of their x purchases worth
 * Gamma(p, ν); x is 1 + Poisson(meanRepeatPurchases − 1), so customers differ in how much
 * their own mean can be trusted — what separates p from q and v.
 */
export function simulateGammaGamma(
  { p, q, v }: GammaGammaParams,
  { customers, meanRepeatPurchases, seed }: { customers: number; meanRepeatPurchases: number; seed: number },
): GammaGammaObservation[] {
  const random = seededRandom(seed);
  return Array.from({ length: customers }, () => {
    const nu = random.gamma(q, v);
    const x = 1 + random.poisson(meanRepeatPurchases - 1);
    let total = 0;
    for (let purchase = 0; purchase < x; purchase += 1) total += random.gamma(p, nu);
    return { x, meanValue: total / x };
  });
}
