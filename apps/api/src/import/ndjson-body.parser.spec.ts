import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { importBodyStream, receivedPieces } from './ndjson-body.parser';

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

describe('importBodyStream with Content-Encoding: gzip', () => {
  const GZIP = { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' };
  const halfAGzip = () => {
    const whole = gzipSync(Buffer.from(Array.from({ length: 5_000 }, (_, n) => `{"line":${n}}\n`).join('')));
    return whole.subarray(0, whole.length >> 1);
  };

  it.each([
    ['closes', undefined, { code: 'ERR_STREAM_PREMATURE_CLOSE' }],
    ['fails', new Error('aborted'), { message: 'aborted' }],
  ])('ends the read with an error when the upload %s half-way, instead of waiting for the rest', async (_how, cause, expected) => {
    const upload = new PassThrough();
    const received = receivedPieces(importBodyStream(upload, GZIP, 1 << 20));
    upload.write(halfAGzip());
    await new Promise((resolve) => setTimeout(resolve, 20));
    upload.destroy(cause);
    await expect(received).rejects.toMatchObject(expected);
  }, 10_000);

  it('lets an upload abort after the reader stopped at the size limit and the request was drained, without an uncaught error', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const upload = new PassThrough();
      const received = receivedPieces(importBodyStream(upload, GZIP, 64 * 1024));
      // About 1.4 MB of NDJSON in a small gzip: past the limit once decompressed, not as declared.
      upload.write(gzipSync(Buffer.from(Array.from({ length: 100_000 }, (_, n) => `{"line":${n}}\n`).join(''))));
      await expect(received).rejects.toMatchObject({ status: 413 });
      // What the import controller does once the import is refused: stop piping, drain the rest.
      upload.unpipe().resume();
      upload.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
    }
  });

  it('still hands on a whole gzip body', async () => {
    const body = Buffer.from('{"a":1}\n{"b":2}\n');
    const upload = new PassThrough();
    const received = receivedPieces(importBodyStream(upload, GZIP, 1 << 20));
    upload.end(gzipSync(body));
    expect(Buffer.concat(await received).equals(body)).toBe(true);
  });
});
