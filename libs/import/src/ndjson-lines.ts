import { Readable } from 'node:stream';
import { InvalidImportLineError } from './import.errors';
import { incompleteTail, invalidUtf8, lastBytes, validLinesLength } from './invalid-utf8';

/**
 * The size of the pieces a source is best read in (a file's reads, an HTTP body's pieces): about
 * 1 MiB rather than a stream's 16–64 KiB or a socket's few kilobytes, since the importer decodes
 * and splits a piece at a time and each step costs a rope flattened and a turn of its iteration.
 */
export const NDJSON_PIECE_BYTES = 1 << 20;

/** A byte stream (file, HTTP body) or lines already split. */
export type NdjsonSource = Readable | AsyncIterable<string> | Iterable<string>;

export interface NumberedLine {
  /** 1-based, counting blank lines too, so it matches what an editor shows. */
  readonly line: number;
  readonly text: string;
}

/**
 * Far more than any event takes (its longest text field is 10,000 characters, escaped at most
 * sixfold), and small enough that a file that is not NDJSON (a JSON array on one line, a binary
 * file) is refused at its first megabyte, not after holding all of it as one line.
 */
export const MAX_LINE_CHARS = 1 << 20;

function lineTooLong(line: number): InvalidImportLineError {
  return new InvalidImportLineError(line, 'LINE_TOO_LONG',
    `is longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters, far more than any event takes: an import is NDJSON, one JSON object a line`);
}

/**
 * The lines of each chunk together: one step of the async iteration per chunk of the source
 * rather than per line. A multi-byte character may straddle two chunks; the decoder holds its
 * first bytes back. Only the new chunk is searched for the end of a line the last one left open.
 * A refused line ends the source once the whole lines before it are handed on, so that the
 * import can name an earlier invalid line first.
 */
async function* chunkLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  // Fatal: bytes that are not UTF-8 refuse their line instead of being stored as U+FFFD.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let linesBefore = 0;
  let lastRead: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    const searchFrom = pending.length;
    let invalidBytes = false;
    if (typeof chunk === 'string') {
      pending += chunk;
    } else {
      try {
        pending += decoder.decode(chunk, { stream: true });
        lastRead = lastBytes(lastRead, chunk);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw error;
        const bytes = Buffer.concat([incompleteTail(lastRead), chunk]);
        pending += new TextDecoder().decode(bytes.subarray(0, validLinesLength(bytes)));
        invalidBytes = true;
      }
    }
    const lines: string[] = [];
    let tooLongLine: number | undefined;
    let start = 0;
    for (let end = pending.indexOf('\n', searchFrom); end !== -1; end = pending.indexOf('\n', start)) {
      if (end - start > MAX_LINE_CHARS) {
        tooLongLine = linesBefore + lines.length + 1;
        break;
      }
      lines.push(pending.slice(start, end));
      start = end + 1;
    }
    pending = pending.slice(start);
    linesBefore += lines.length;
    if (tooLongLine === undefined && pending.length > MAX_LINE_CHARS) tooLongLine = linesBefore + 1;
    if (lines.length > 0) yield lines;
    if (tooLongLine !== undefined) throw lineTooLong(tooLongLine);
    if (invalidBytes) throw invalidUtf8(linesBefore + 1);
  }
  try {
    pending += decoder.decode();
  } catch {
    throw invalidUtf8(linesBefore + 1);
  }
  if (pending !== '') yield [pending];
}

/** Lines already split: a synchronous source (a generator of a million demo lines) a thousand at a time. */
async function* lineBatches(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<string[]> {
  if (!(Symbol.iterator in lines)) {
    for await (const line of lines) yield [line];
    return;
  }
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= 1_000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Every non-blank line with its number, as numberedLines, a chunk of the source at a time. */
export async function* numberedLineBatches(source: NdjsonSource): AsyncGenerator<NumberedLine[]> {
  const batches = source instanceof Readable ? chunkLines(source) : lineBatches(source);
  let line = 0;
  for await (const raws of batches) {
    const numbered: NumberedLine[] = [];
    for (const raw of raws) {
      line += 1;
      let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() !== '') numbered.push({ line, text });
    }
    if (numbered.length > 0) yield numbered;
  }
}

/** Every non-blank line with its number; `\r\n` endings and a UTF-8 BOM are tolerated. */
export async function* numberedLines(source: NdjsonSource): AsyncGenerator<NumberedLine> {
  for await (const batch of numberedLineBatches(source)) yield* batch;
}
