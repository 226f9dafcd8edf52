import { InvalidImportLineError } from './import.errors';
import { parseUncheckedImportLine, type UncheckedImportLine } from './import-line.parser';
import { numberedLineBatches, type NdjsonSource } from './ndjson-lines';

/** Lines parsed on their own (all but the data's schema and the account's rules), a window at a time. */
export interface LineWindow {
  readonly lines: readonly UncheckedImportLine[];
  /** The number of the last line read (blank lines count). */
  readonly lastLine: number;
  /**
   * The first malformed line, ending the source: its error is thrown once the lines before it
   * have been admitted, so the import names the first invalid line whatever made it invalid.
   */
  readonly malformed?: InvalidImportLineError;
}

/**
 * Windows of `sizes[0]` lines, then `sizes[1]`, …, the last size repeating: the accounts a
 * window names are loaded together. Small first windows start the writes sooner. Once `signal`
 * is aborted, the next window throws its reason instead.
 */
export async function* lineWindows(source: NdjsonSource, sizes: readonly number[], signal?: AbortSignal): AsyncGenerator<LineWindow> {
  let lines: UncheckedImportLine[] = [];
  let lastLine = 0;
  let windowIndex = 0;
  let size = sizes[0]!;
  try {
    for await (const batch of numberedLineBatches(source)) {
      for (const { line, text } of batch) {
        lines.push(parseUncheckedImportLine(text, line));
        lastLine = line;
        if (lines.length >= size) {
          signal?.throwIfAborted();
          yield { lines, lastLine };
          lines = [];
          windowIndex += 1;
          size = sizes[Math.min(windowIndex, sizes.length - 1)]!;
        }
      }
    }
  } catch (error) {
    // A line the parser refused, or one the source could not read (too long, not UTF-8).
    if (!(error instanceof InvalidImportLineError)) throw error;
    yield { lines, lastLine, malformed: error };
    return;
  }
  signal?.throwIfAborted();
  if (lines.length > 0) yield { lines, lastLine };
}
