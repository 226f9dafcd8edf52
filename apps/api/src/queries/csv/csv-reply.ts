import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiateFormat } from './accept';
import { toCsv, type CsvColumn } from './csv-table';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/**
 * Answers `json` as is, or its rows as CSV when the request's Accept prefers text/csv. Every
 * answer says it depends on Accept, so caches keep the two apart.
 */
export function jsonOrCsv<Json, Row>(
  request: FastifyRequest,
  reply: FastifyReply,
  json: Json,
  csv: { readonly columns: readonly CsvColumn<Row>[]; readonly rows: readonly Row[] },
): Json | string {
  const asCsv = wantsCsv(request);
  // JSON's Content-Type is Fastify's own for an object.
  formatHeaders(reply, asCsv ? CSV_CONTENT_TYPE : undefined);
  return asCsv ? toCsv(csv.columns, csv.rows) : json;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * jsonOrCsv for an answer whose JSON text is written without building its objects, each format
 * read only once it is chosen: the text as is (Fastify sends a string under a JSON content type
 * unchanged), or the rows as CSV. The headers are set once the answer is read, so that a failed
 * read's error goes out as JSON whatever was asked for.
 */
export async function jsonTextOrCsv<Row>(
  request: FastifyRequest,
  reply: FastifyReply,
  json: () => Promise<string>,
  csv: { readonly columns: readonly CsvColumn<Row>[]; readonly rows: () => Promise<readonly Row[]> },
): Promise<string> {
  const asCsv = wantsCsv(request);
  const text = asCsv ? toCsv(csv.columns, await csv.rows()) : await json();
  formatHeaders(reply, asCsv ? CSV_CONTENT_TYPE : JSON_CONTENT_TYPE);
  return text;
}

const wantsCsv = (request: FastifyRequest): boolean => negotiateFormat(request.headers.accept) === 'csv';

/** Every answer varies with Accept; its Content-Type where Fastify would not set it. */
function formatHeaders(reply: FastifyReply, contentType: string | undefined): void {
  void reply.header('Vary', 'Accept');
  if (contentType !== undefined) void reply.header('Content-Type', contentType);
}

/**
 * The next page as headers too (RFC 8288 `Link` and `X-Next-Cursor`), for clients of the CSV
 * body, which has nowhere else to carry it: the same path and parameters, cursor replaced.
 */
export function linkNextPage(request: FastifyRequest, reply: FastifyReply, nextCursor: string | null): void {
  if (nextCursor === null) return;
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const parameters = new URLSearchParams(queryAt === -1 ? '' : request.url.slice(queryAt + 1));
  parameters.set('cursor', nextCursor);
  void reply.header('Link', `<${path}?${parameters.toString()}>; rel="next"`);
  void reply.header('X-Next-Cursor', nextCursor);
}
