/**
 * `term` cached per integer argument for the life of one likelihood evaluation. The
 * special-function terms of every model depend on a customer's count (renewals, purchases)
 * alone, and counts repeat across customers: computing each once makes an evaluation cost a
 * few logarithms per customer instead of a few log-gammas.
 */
export function memoizeByCount(term: (count: number) => number): (count: number) => number {
  const cache = new Map<number, number>();
  return (count) => {
    let value = cache.get(count);
    if (value === undefined) {
      value = term(count);
      cache.set(count, value);
    }
    return value;
  };
}
