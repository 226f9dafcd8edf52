import beta from '@stdlib/random-base-beta';
import exponential from '@stdlib/random-base-exponential';
import gamma from '@stdlib/random-base-gamma';
import poisson from '@stdlib/random-base-poisson';

/** Draws for the simulators; a seed makes every simulated data set, and so every fit on it, reproducible. */
export interface SeededRandom {
  /** Uniform on (0, 1). */
  uniform(): number;
  beta(alpha: number, beta: number): number;
  /** Shape and rate (mean shape/rate). */
  gamma(shape: number, rate: number): number;
  /** Rate (mean 1/rate). */
  exponential(rate: number): number;
  poisson(mean: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  // Separate seeds: generators sharing one would draw from the same Mersenne Twister stream.
  const betaDraw = beta.factory({ seed });
  const gammaDraw = gamma.factory({ seed: seed + 1 });
  const exponentialDraw = exponential.factory({ seed: seed + 2 });
  const poissonDraw = poisson.factory({ seed: seed + 3 });
  const uniformDraw = beta.factory(1, 1, { seed: seed + 4 });
  return { uniform: uniformDraw, beta: betaDraw, gamma: gammaDraw, exponential: exponentialDraw, poisson: poissonDraw };
}
