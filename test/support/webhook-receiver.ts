import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
  /** X-Signature matched HMAC-SHA256 of the raw body under the secret. */
  readonly signatureValid: boolean;
  /** The status this receiver answered. */
  readonly status: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Answers the n-th request (0-based) for a delivery id with this status; 200 by default. */
  respondWith(status: (deliveryId: string, attempt: number) => number): void;
  /** Deliveries answered 2xx, one per delivery id (the first 2xx). */
  delivered(): ReceivedWebhook[];
  waitFor(predicate: (received: readonly ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A receiver written independently of the engine's signing code, as a customer's would be. */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const attempts = new Map<string, number>();
  let respond: (deliveryId: string, attempt: number) => number = () => 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const deliveryId = String(request.headers['x-delivery-id'] ?? '');
      const attempt = attempts.get(deliveryId) ?? 0;
      attempts.set(deliveryId, attempt + 1);
      const status = respond(deliveryId, attempt);
      received.push({ at: Date.now(), headers: request.headers, body, json: parse(body), signatureValid: verify(body, secret, request.headers['x-signature']), status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/escalations`,
    received,
    respondWith: (next) => {
      respond = next;
    },
    delivered: () => {
      const seen = new Set<string>();
      return received.filter((hook) => {
        const id = String(hook.headers['x-delivery-id']);
        if (hook.status >= 300 || seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    },
    waitFor: async (predicate, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms; received ${received.length}: ${received.map((hook) => `${String(hook.json.type)}/${hook.status}`).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function verify(body: string, secret: string, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
  const given = Buffer.from(header.slice('sha256='.length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parse(body: string): Record<string, unknown> {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
}
