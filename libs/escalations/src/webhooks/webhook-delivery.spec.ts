import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deliverWebhook, displayUrl, WebhookDeliveryError } from './webhook-delivery';
import { signTimestampedBody, signWebhookBody, verifyTimestampedSignature, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'webhook-secret-of-the-test';
const BODY = JSON.stringify({ deliveryId: 'd-1', type: 'EscalationOpened', data: { reason: 'Crème brûlée — 100 % down' } });

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

type Respond = (response: ServerResponse, received: Received) => void;

/** A real receiver on a free port; each test says how it answers. */
describe('deliverWebhook against a local HTTP receiver', () => {
  let server: Server;
  let base: string;
  let respond: Respond;
  const received: Received[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry = { method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks) };
        received.push(entry);
        respond(response, entry);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    received.length = 0;
    respond = (response) => response.writeHead(204).end();
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const deliver = (path = '/hooks/escalations', timeoutMs = 2_000) => deliverWebhook({ url: `${base}${path}`, body: BODY, deliveryId: 'delivery-42', secret: SECRET, timeoutMs });

  it('POSTs the exact body, signed, with the delivery id, content type and user agent', async () => {
    const result = await deliver();
    expect(result).toEqual({ status: 204, ms: expect.any(Number) });
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', url: '/hooks/escalations' });
    expect(request!.body.toString('utf8')).toBe(BODY);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-delivery-id': 'delivery-42',
      'user-agent': 'account-health-engine',
      'x-signature': signWebhookBody(BODY, SECRET),
    });
    expect(verifyWebhookSignature(request!.body, SECRET, request!.headers['x-signature'])).toBe(true);
    expect(verifyWebhookSignature(request!.body, 'another-secret-entirely', request!.headers['x-signature'])).toBe(false);
  });

  it('signs every attempt with its own timestamp too, which a receiver checks against its clock', async () => {
    const before = Math.floor(Date.now() / 1000);
    await deliver();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await deliver();
    const after = Math.floor(Date.now() / 1000);
    expect(received).toHaveLength(2);
    const [first, second] = received.map(({ headers, body }) => ({ body, timestamp: headers['x-delivery-timestamp'], signature: headers['x-signature-timestamped'] }));
    for (const attempt of [first!, second!]) {
      expect(attempt.timestamp).toMatch(/^\d+$/);
      expect(Number(attempt.timestamp)).toBeGreaterThanOrEqual(before);
      expect(Number(attempt.timestamp)).toBeLessThanOrEqual(after);
      expect(attempt.signature).toBe(signTimestampedBody(Number(attempt.timestamp), BODY, SECRET));
      expect(verifyTimestampedSignature(attempt.body, SECRET, attempt)).toBe(true);
      expect(verifyTimestampedSignature(Buffer.concat([attempt.body, Buffer.from(' ')]), SECRET, attempt)).toBe(false);
      expect(verifyTimestampedSignature(attempt.body, SECRET, { ...attempt, timestamp: String(Number(attempt.timestamp) + 1) })).toBe(false);
    }
    // Same body and X-Signature, a new timestamped signature: the first cannot pass for the second.
    expect(second!.timestamp).not.toBe(first!.timestamp);
    expect(second!.signature).not.toBe(first!.signature);
    expect(received[1]!.headers['x-signature']).toBe(received[0]!.headers['x-signature']);
    expect(verifyTimestampedSignature(first!.body, SECRET, { timestamp: second!.timestamp, signature: first!.signature })).toBe(false);
  });

  it('resolves with the status of any 2xx', async () => {
    respond = (response) => response.writeHead(202, { 'Content-Type': 'text/plain' }).end('queued');
    await expect(deliver()).resolves.toMatchObject({ status: 202 });
  });

  it.each([
    [500, 'Internal Server Error', 'database is down'],
    [404, 'Not Found', ''],
    [429, 'Too Many Requests', 'slow down'],
  ])('throws on %i, naming the status and what the receiver said', async (status, statusText, text) => {
    respond = (response) => response.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
    const error = await deliver().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error).toMatchObject({ status, url: `${base}/hooks/escalations` });
    expect((error as Error).message).toMatch(new RegExp(`^webhook ${base}/hooks/escalations: answered ${status} ${statusText} after \\d+ ms${text === '' ? '$' : `: ${text}$`}`));
  });

  it('cuts a long refusal down to an excerpt', async () => {
    respond = (response) => response.writeHead(503).end('x'.repeat(10_000));
    const error = (await deliver().catch((caught: unknown) => caught)) as WebhookDeliveryError;
    expect(error.status).toBe(503);
    expect(error.message.length).toBeLessThan(400);
  });

  it('does not follow a redirect: a 3xx is a failed delivery', async () => {
    respond = (response, request) => response.writeHead(request.url === '/moved' ? 302 : 204, { Location: '/elsewhere' }).end();
    await expect(deliver('/moved')).rejects.toMatchObject({ name: 'WebhookDeliveryError', status: 302 });
    expect(received.map((request) => request.url)).toEqual(['/moved']);
  });

  it('times out on a receiver that never answers', async () => {
    respond = () => undefined;
    const started = Date.now();
    const error = (await deliver('/hooks/escalations', 300).catch((caught: unknown) => caught)) as WebhookDeliveryError;
    expect(error).toBeInstanceOf(WebhookDeliveryError);
    expect(error.status).toBeNull();
    expect(error.message).toBe(`webhook ${base}/hooks/escalations: no answer within 300 ms (timed out)`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('times out on a receiver that stalls after its headers', async () => {
    respond = (response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('{"ok":');
    };
    await expect(deliver('/hooks/escalations', 300)).rejects.toMatchObject({ status: null, message: expect.stringMatching(/timed out/) });
  });

  it('names the network error when nothing listens, without the url credentials or query', async () => {
    const idle = createServer();
    await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
    const { port } = idle.address() as AddressInfo;
    await new Promise((resolve) => idle.close(resolve));
    const error = (await deliverWebhook({ url: `http://user:p4ss@127.0.0.1:${port}/in?token=s3cret#x`, body: BODY, deliveryId: 'd', secret: SECRET, timeoutMs: 2_000 })
      .catch((caught: unknown) => caught)) as WebhookDeliveryError;
    expect(error).toMatchObject({ name: 'WebhookDeliveryError', status: null, url: `http://127.0.0.1:${port}/in` });
    expect(error.message).toBe(`webhook http://127.0.0.1:${port}/in: not delivered: ECONNREFUSED`);
    expect(error.message).not.toMatch(/p4ss|s3cret|user/);
  });

  it('sends user:password of the url as Basic authentication, not in the request line', async () => {
    const url = `${base.replace('http://', 'http://hook%40user:p%C3%A4ss@')}/basic?x=1`;
    await deliverWebhook({ url, body: BODY, deliveryId: 'd', secret: SECRET, timeoutMs: 2_000 });
    expect(received[0]!.url).toBe('/basic?x=1');
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hook@user:päss').toString('base64')}`);
  });
});

describe('displayUrl', () => {
  it('keeps scheme, host, port and path only', () => {
    expect(displayUrl('https://alice:secret@hooks.example.com:8443/a/b?sig=1#frag')).toBe('https://hooks.example.com:8443/a/b');
    expect(displayUrl('not a url')).toBe('(an invalid url)');
  });
});
