import { createHash } from 'node:crypto';
import { finished, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { NDJSON_PIECE_BYTES } from '@ahe/import';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * Hands the request body to the route as a stream, unparsed: an import may be hundreds of
 * megabytes, far beyond the JSON body limit, and is validated line by line as it arrives.
 */
export function registerNdjsonBodyParser(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser(NDJSON_CONTENT_TYPE)) return;
  fastify.addContentTypeParser(NDJSON_CONTENT_TYPE, (_request, payload, done) => done(null, payload));
}

async function* limitedChunks(source: Readable, limitBytes: number): AsyncGenerator<Buffer> {
  let received = 0;
  // An import refused early stops reading; the request must not be destroyed with it, or the
  // client would see a reset connection instead of the 400.
  for await (const chunk of source.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > limitBytes) {
      throw new PayloadTooLargeException(`The import body is larger than IMPORT_BODY_LIMIT_BYTES (${limitBytes} bytes)`);
    }
    yield chunk;
  }
}

/**
 * The body as the importer reads it: gunzipped when sent with Content-Encoding: gzip, and cut
 * off with a 413 past `limitBytes` (counted after decompression, so a small bomb cannot pass).
 */
export function importBodyStream(payload: Readable, headers: Record<string, string | string[] | undefined>, limitBytes: number): Readable {
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    throw new PayloadTooLargeException(`The import body (${declared} bytes) is larger than IMPORT_BODY_LIMIT_BYTES (${limitBytes} bytes)`);
  }
  const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new UnsupportedMediaTypeException(`Content-Encoding ${encoding} is not supported: send identity or gzip`);
  }
  const chunks = limitedChunks(encoding === 'gzip' ? gunzipOf(payload) : payload, limitBytes);
  return Readable.from(encoding === 'gzip' ? gunzipped(chunks) : chunks, { objectMode: false });
}

/**
 * pipe() hands on neither the request's error nor its early close: the reader of an upload
 * aborted mid-body would wait for the rest forever, holding what it had read. A pipeline
 * would pass them on, but would also destroy the request when the gzip is bad, and the client
 * would see a reset connection instead of the 400.
 */
function gunzipOf(payload: Readable): Readable {
  const gunzip = createGunzip();
  // Its errors reach the reader through the reader's own listener. Once the reader has stopped
  // (a 413 part-way) and the request is unpiped, a later abort must not be an uncaught error.
  gunzip.on('error', () => undefined);
  finished(payload, (error) => {
    if (error) gunzip.destroy(error);
  });
  return payload.pipe(gunzip);
}

/** zlib's errors (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a cut-off stream, …) are the client's body, not the server. */
async function* gunzipped(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* chunks;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new BadRequestException({
        message: `The body is not valid gzip (Content-Encoding: gzip): ${(error as Error).message}; nothing was appended`,
        code: 'INVALID_GZIP',
      });
    }
    throw error;
  }
}

/**
 * The whole body, read before the import starts: the import is one transaction that holds its
 * accounts' heads and the global log's watermark (ADR 0002) while it runs, which must not last
 * as long as a slow client takes to upload. Costs about the body's size in memory, within
 * IMPORT_BODY_LIMIT_BYTES. In pieces of NDJSON_PIECE_BYTES, not the socket's chunks.
 */
export async function receivedPieces(body: Readable): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  let piece: Buffer[] = [];
  let pieceBytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    piece.push(chunk);
    pieceBytes += chunk.length;
    if (pieceBytes >= NDJSON_PIECE_BYTES) {
      pieces.push(Buffer.concat(piece, pieceBytes));
      piece = [];
      pieceBytes = 0;
    }
  }
  if (pieceBytes > 0) pieces.push(Buffer.concat(piece, pieceBytes));
  return pieces;
}

/** sha256 of the body as received (after gunzip): what an Idempotency-Key's request is compared by. */
export function sha256Of(pieces: readonly Buffer[]): string {
  const digest = createHash('sha256');
  for (const piece of pieces) digest.update(piece);
  return digest.digest('hex');
}
