import { createHmac, timingSafeEqual } from 'node:crypto';

/** The X-Signature scheme: `sha256=` and the lower-case hex HMAC-SHA256 of the raw body under the shared secret. */
export const SIGNATURE_PREFIX = 'sha256=';
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** How far from the receiver's clock a timestamped signature is accepted by default, either way. */
export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

export function signWebhookBody(body: string | Uint8Array, secret: string): string {
  return `${SIGNATURE_PREFIX}${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The X-Signature-Timestamped scheme: as X-Signature, over `<X-Delivery-Timestamp>.<raw body>`.
 * X-Signature covers the body only, so a captured request can be sent again as is; this one
 * binds the attempt's time, so a receiver that keeps a window refuses a replay made later.
 */
export function signTimestampedBody(timestampSeconds: number, body: string | Uint8Array, secret: string): string {
  return `${SIGNATURE_PREFIX}${timestampedDigest(String(timestampSeconds), body, secret).toString('hex')}`;
}

/**
 * For receivers (and tests): does `header` sign exactly these bytes under `secret`? Verify the
 * raw body as received, before any JSON parsing, which would change the bytes. A header sent
 * twice, or in another scheme, is refused; the comparison takes the same time wherever the
 * digests differ.
 */
export function verifyWebhookSignature(body: string | Uint8Array, secret: string, header: string | readonly string[] | undefined): boolean {
  return matches(header, createHmac('sha256', secret).update(body).digest());
}

type Header = string | readonly string[] | undefined;

export interface TimestampedSignatureHeaders {
  /** X-Delivery-Timestamp: unix seconds of the attempt. */
  readonly timestamp: Header;
  /** X-Signature-Timestamped. */
  readonly signature: Header;
}

export interface TimestampWindow {
  readonly nowSeconds?: number;
  readonly toleranceSeconds?: number;
}

/** For receivers: is the signature over this timestamp and body, and the timestamp within the window of now? */
export function verifyTimestampedSignature(body: string | Uint8Array, secret: string, headers: TimestampedSignatureHeaders, window: TimestampWindow = {}): boolean {
  const { timestamp } = headers;
  if (typeof timestamp !== 'string' || !UNIX_SECONDS.test(timestamp.trim())) return false;
  const nowSeconds = window.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp.trim())) > (window.toleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS)) return false;
  return matches(headers.signature, timestampedDigest(timestamp.trim(), body, secret));
}

function timestampedDigest(timestamp: string, body: string | Uint8Array, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

function matches(header: Header, expected: Buffer): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header.trim());
  if (match === null) return false;
  return timingSafeEqual(Buffer.from(match[1]!, 'hex'), expected);
}
