import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST as the sink saw it: when its body was complete, and what it said. */
export interface Arrival {
  readonly at: number;
  readonly deliveryId: string;
  readonly body: WebhookBody;
}

/** The fields of the engine's webhook payload the benchmark reads. */
export interface WebhookBody {
  readonly type?: string;
  readonly accountId?: string;
  readonly recordedAt?: string;
  readonly data?: { readonly rule?: string };
}

export interface WebhookSink {
  readonly url: string;
  readonly arrivals: readonly Arrival[];
  close(): Promise<void>;
}

/**
 * The webhook receiver of the latency benchmark: a bare node:http server that answers 200 at
 * once and notes the arrival time, so what is measured is the engine, not the receiver.
 */
export async function startWebhookSink(): Promise<WebhookSink> {
  const arrivals: Arrival[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      arrivals.push({ at, deliveryId: String(request.headers['x-delivery-id'] ?? ''), body: parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/escalations`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parse(text: string): WebhookBody {
  try {
    return JSON.parse(text) as WebhookBody;
  } catch {
    return {};
  }
}
