/**
 * Words of a line's note that say whether the work behind the line was done in full, written
 * here once for the suites that write them and for the smoke check that reads them back
 * (bench-quick.spec.ts).
 */

/** Requests not answered with a 2xx, as the HTTP lines note them: nothing when there were none. */
export function failuresNote(failures: number): string {
  return failures > 0 ? `; ${failures} non-2xx or failed requests` : '';
}

/** failuresNote's words in a note: group 1 is the count. */
export const FAILURES_NOTE = /(\d+) non-2xx or failed requests/;

/** The escalation line's count of webhooks: how many arrived of how many expected, and how many twice. */
export function arrivalNote(arrived: number, expected: number, duplicates: number): string {
  return `${arrived} of ${expected} arrived, ${duplicates} duplicate(s)`;
}

/** arrivalNote's words in a note: groups 1-3 are arrived, expected and duplicates. */
export const ARRIVAL_NOTE = /(\d+) of (\d+) arrived, (\d+) duplicate\(s\)/;
