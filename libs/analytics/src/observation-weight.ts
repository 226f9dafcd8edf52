/** Observations stand for `count` identical customers (1 without it), so aggregated cohorts fit fast. */
export interface Weighted {
  readonly count?: number;
}

export function assertCount({ count }: Weighted): void {
  if (count !== undefined && !(Number.isInteger(count) && count >= 0)) throw new RangeError(`count must be a non-negative integer, got ${count}`);
}

/** How many customers an observation stands for; its count is assumed checked. */
export const weightOf = ({ count }: Weighted): number => count ?? 1;

/** The customers behind a data set: the sum of its observations' weights. */
export const totalWeight = (data: readonly Weighted[]): number => data.reduce((sum, observation) => sum + weightOf(observation), 0);
