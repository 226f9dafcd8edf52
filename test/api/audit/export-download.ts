import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { finished } from 'node:stream/promises';

export interface Download {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: number;
  /** False when the connection closed before the body's end: the export was cut short. */
  readonly complete: boolean;
}

/**
 * GET over plain node:http, handing each complete NDJSON line to `onLine` as it arrives and
 * keeping nothing else: what a client that streams the export to disk would hold.
 */
export async function download(url: string, onLine: (line: string) => void, headers: Record<string, string> = {}, onChunk?: (bytes: number) => void): Promise<Download> {
  const response = await new Promise<IncomingMessage>((resolve, reject) => get(url, { headers }, resolve).on('error', reject));
  let bytes = 0;
  let partial = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
    onChunk?.(bytes);
  });
  const complete = await finished(response).then(() => response.complete, () => false);
  if (complete && partial !== '') onLine(partial);
  return { status: response.statusCode ?? 0, headers: response.headers, bytes, complete };
}
