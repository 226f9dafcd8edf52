import { Readable } from 'node:stream';
import { receivedPieces } from './ndjson-body.parser';

describe('receivedPieces', () => {
  it('hands the body on whole, in pieces of at least 1 MiB but the last, however the socket cut it', async () => {
    const bytes = Buffer.from(Array.from({ length: 60_000 }, (_, n) => `{"line":${n},"text":"é"}\n`).join(''));
    const chunks = [];
    for (let at = 0; at < bytes.length; at += 16_381) chunks.push(bytes.subarray(at, at + 16_381));

    const pieces = await receivedPieces(Readable.from(chunks));

    expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
    expect(pieces.slice(0, -1).every((piece) => piece.length >= 1 << 20)).toBe(true);
    expect(pieces).toHaveLength(2);
  });

  it('hands on an empty body as no piece at all', async () => {
    expect(await receivedPieces(Readable.from([]))).toEqual([]);
  });
});
