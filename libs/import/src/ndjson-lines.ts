import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** A byte stream (file, HTTP body) or lines already split. */
export type NdjsonSource = Readable | AsyncIterable<string> | Iterable<string>;

export interface NumberedLine {
  /** 1-based, counting blank lines too, so it matches what an editor shows. */
  readonly line: number;
  readonly text: string;
}

async function* splitChunks(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  // A multi-byte character may straddle two chunks; the decoder holds its first bytes back.
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      yield pending.slice(start, end);
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending !== '') yield pending;
}

/** Every non-blank line with its number; `\r\n` endings and a UTF-8 BOM are tolerated. */
export async function* numberedLines(source: NdjsonSource): AsyncGenerator<NumberedLine> {
  const lines = source instanceof Readable ? splitChunks(source) : source;
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() !== '') yield { line, text };
  }
}
