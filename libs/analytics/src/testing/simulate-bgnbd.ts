import type { BgNbdObservation, BgNbdParams } from '../model.types';
import { seededRandom } from './seeded-random';

/** A simulated customer: what was observed until T, and the truth the model has to guess. */
export interface SimulatedBgNbdCustomer {
  readonly observation: BgNbdObservation;
  readonly aliveAtT: boolean;
  /** Repeat purchases in (T, T + futureWeeks]. */
  readonly futurePurchases: number;
}

/**
 * Customers from the BG/NBD model: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases arrive as a
 * Poisson process of rate λ from the first purchase at 0, and after each repeat purchase the
 * customer drops out with probability p. T is uniform on [minT, maxT] (a cohort acquired
 * over time).
 */
export function simulateBgNbd(
  { r, alpha, a, b }: BgNbdParams,
  options: { customers: number; minT: number; maxT: number; futureWeeks?: number; seed: number },
): SimulatedBgNbdCustomer[] {
  const random = seededRandom(options.seed);
  const futureWeeks = options.futureWeeks ?? 0;
  return Array.from({ length: options.customers }, () => {
    const T = options.minT + (options.maxT - options.minT) * random.uniform();
    const lambda = random.gamma(r, alpha);
    const p = random.beta(a, b);
    let x = 0;
    let tx = 0;
    let futurePurchases = 0;
    let droppedAt = Infinity;
    for (let t = random.exponential(lambda); t <= T + futureWeeks; t += random.exponential(lambda)) {
      if (t <= T) {
        x += 1;
        tx = t;
      } else futurePurchases += 1;
      if (random.uniform() < p) {
        droppedAt = t;
        break;
      }
    }
    return { observation: { x, tx, T }, aliveAtT: droppedAt > T, futurePurchases };
  });
}
