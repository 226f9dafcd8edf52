import { Readable } from 'node:stream';
import { receivedBody } from './ndjson-body.parser';

async function piecesOf(body: Readable): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  for await (const piece of body as AsyncIterable<Buffer>) pieces.push(piece);
  return pieces;
}

describe('receivedBody', () => {
  it('hands the body on whole, in pieces of at least 1 MiB but the last, however the socket cut it', async () => {
    const bytes = Buffer.from(Array.from({ length: 60_000 }, (_, n) => `{"line":${n},"text":"é"}\n`).join(''));
    const chunks = [];
    for (let at = 0; at < bytes.length; at += 16_381) chunks.push(bytes.subarray(at, at + 16_381));

    const pieces = await piecesOf(await receivedBody(Readable.from(chunks)));

    expect(Buffer.concat(pieces).equals(bytes)).toBe(true);
    expect(pieces.slice(0, -1).every((piece) => piece.length >= 1 << 20)).toBe(true);
    expect(pieces).toHaveLength(2);
  });

  it('hands on an empty body as no piece at all', async () => {
    expect(await piecesOf(await receivedBody(Readable.from([])))).toEqual([]);
  });
});
