import { createHmac, timingSafeEqual } from 'node:crypto';

/** The X-Signature scheme: `sha256=` and the lower-case hex HMAC-SHA256 of the raw body under the shared secret. */
export const SIGNATURE_PREFIX = 'sha256=';
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

export function signWebhookBody(body: string | Uint8Array, secret: string): string {
  return `${SIGNATURE_PREFIX}${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * For receivers (and tests): does `header` sign exactly these bytes under `secret`? Verify the
 * raw body as received, before any JSON parsing, which would change the bytes. A header sent
 * twice, or in another scheme, is refused; the comparison takes the same time wherever the
 * digests differ.
 */
export function verifyWebhookSignature(body: string | Uint8Array, secret: string, header: string | readonly string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (match === null) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}
