import { isUtf8 } from 'node:buffer';
import { InvalidImportLineError } from './import.errors';

const NEWLINE = 0x0a;
const NO_BYTES = new Uint8Array(0);

export function invalidUtf8(line: number): InvalidImportLineError {
  return new InvalidImportLineError(line, 'INVALID_UTF8',
    'is not valid UTF-8: an import is NDJSON encoded in UTF-8; save or export the file as UTF-8 and send it again');
}

/** The first bytes of a character a streaming decoder holds back until the next chunk completes it. */
export function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(bytes.length - back) : NO_BYTES;
  }
  return NO_BYTES;
}

/** The last bytes of the stream so far, enough to hold a character's first bytes; a copy, so the chunk can be collected. */
export function lastBytes(before: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= 3) return new Uint8Array(chunk.subarray(chunk.length - 3));
  const joined = new Uint8Array(before.length + chunk.length);
  joined.set(before);
  joined.set(chunk, before.length);
  return joined.subarray(Math.max(0, joined.length - 3));
}

/**
 * The byte length of the whole lines before the one holding the bytes a fatal decoder refused.
 * A newline is never part of a multi-byte character, so each whole line can be checked on its
 * own; if they are all valid, the line still open at the end is the bad one.
 */
export function validLinesLength(bytes: Uint8Array): number {
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    if (!isUtf8(bytes.subarray(start, end))) break;
    start = end + 1;
  }
  return start;
}
