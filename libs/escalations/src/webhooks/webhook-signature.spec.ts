import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, signTimestampedBody, signWebhookBody, verifyTimestampedSignature, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  // RFC 4231-style check against a published HMAC-SHA256 value (key "key").
  const FOX = 'The quick brown fox jumps over the lazy dog';
  const FOX_SIGNATURE = 'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';

  it('is sha256= and the hex HMAC-SHA256 of the raw body', () => {
    expect(signWebhookBody(FOX, 'key')).toBe(FOX_SIGNATURE);
    expect(signWebhookBody(Buffer.from(FOX, 'utf8'), 'key')).toBe(FOX_SIGNATURE);
  });

  it('signs bytes, not JSON: a re-serialized body no longer verifies', () => {
    const body = '{"b":1, "a":"é"}';
    const signature = signWebhookBody(body, 'secret');
    expect(verifyWebhookSignature(body, 'secret', signature)).toBe(true);
    expect(verifyWebhookSignature(JSON.stringify(JSON.parse(body)), 'secret', signature)).toBe(false);
  });

  it('accepts upper-case hex and surrounding spaces', () => {
    expect(verifyWebhookSignature(FOX, 'key', `  sha256=${FOX_SIGNATURE.slice(7).toUpperCase()} `)).toBe(true);
  });

  it.each([
    ['a wrong secret', FOX, 'other', FOX_SIGNATURE],
    ['a changed body', `${FOX}.`, 'key', FOX_SIGNATURE],
    ['no header', FOX, 'key', undefined],
    ['the header twice', FOX, 'key', [FOX_SIGNATURE, FOX_SIGNATURE]],
    ['another scheme', FOX, 'key', FOX_SIGNATURE.replace('sha256=', 'sha1=')],
    ['a bare digest', FOX, 'key', FOX_SIGNATURE.slice(7)],
    ['a short digest', FOX, 'key', FOX_SIGNATURE.slice(0, -2)],
    ['non-hex characters', FOX, 'key', `${FOX_SIGNATURE.slice(0, -1)}g`],
  ])('refuses %s', (_case, body, secret, header) => {
    expect(verifyWebhookSignature(body, secret, header)).toBe(false);
  });

  describe('timestamped (X-Delivery-Timestamp and X-Signature-Timestamped)', () => {
    const BODY = '{"deliveryId":"3d0c1b9e","type":"EscalationOpened"}';
    const SENT_AT = 1_765_000_000;
    const headers = (timestamp: number | string, body = BODY) => ({ timestamp: String(timestamp), signature: signTimestampedBody(Number(timestamp), body, 'secret') });

    it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<raw body>"', () => {
      expect(signTimestampedBody(1_700_000_000, FOX, 'key')).toBe(signWebhookBody(`1700000000.${FOX}`, 'key'));
      expect(signTimestampedBody(1_700_000_000, Buffer.from(FOX, 'utf8'), 'key')).toBe(signTimestampedBody(1_700_000_000, FOX, 'key'));
      expect(signTimestampedBody(1_700_000_001, FOX, 'key')).not.toBe(signTimestampedBody(1_700_000_000, FOX, 'key'));
    });

    it('accepts a fresh delivery, up to the tolerance either way', () => {
      expect(verifyTimestampedSignature(BODY, 'secret', headers(SENT_AT), { nowSeconds: SENT_AT })).toBe(true);
      expect(verifyTimestampedSignature(BODY, 'secret', headers(SENT_AT), { nowSeconds: SENT_AT + DEFAULT_TIMESTAMP_TOLERANCE_SECONDS })).toBe(true);
      expect(verifyTimestampedSignature(BODY, 'secret', headers(SENT_AT), { nowSeconds: SENT_AT - DEFAULT_TIMESTAMP_TOLERANCE_SECONDS })).toBe(true);
      expect(verifyTimestampedSignature(Buffer.from(BODY), 'secret', headers(SENT_AT), { nowSeconds: SENT_AT + 30, toleranceSeconds: 60 })).toBe(true);
      const now = Math.floor(Date.now() / 1000);
      expect(verifyTimestampedSignature(BODY, 'secret', headers(now))).toBe(true);
    });

    it('refuses a captured request replayed later, with its timestamp as sent or changed', () => {
      const captured = headers(SENT_AT);
      expect(verifyTimestampedSignature(BODY, 'secret', captured, { nowSeconds: SENT_AT + DEFAULT_TIMESTAMP_TOLERANCE_SECONDS + 1 })).toBe(false);
      expect(verifyTimestampedSignature(BODY, 'secret', { ...captured, timestamp: String(SENT_AT + 3_600) }, { nowSeconds: SENT_AT + 3_600 })).toBe(false);
    });

    it.each([
      ['a changed body', `${BODY} `, 'secret', headers(SENT_AT)],
      ['a wrong secret', BODY, 'other', headers(SENT_AT)],
      ['the body-only X-Signature in its place', BODY, 'secret', { timestamp: String(SENT_AT), signature: signWebhookBody(BODY, 'secret') }],
      ['no timestamp', BODY, 'secret', { timestamp: undefined, signature: headers(SENT_AT).signature }],
      ['a timestamp that is not unix seconds', BODY, 'secret', { timestamp: '2025-12-06T05:46:40Z', signature: headers(SENT_AT).signature }],
      ['the timestamp twice', BODY, 'secret', { timestamp: [String(SENT_AT), String(SENT_AT)], signature: headers(SENT_AT).signature }],
      ['no signature', BODY, 'secret', { timestamp: String(SENT_AT), signature: undefined }],
    ])('refuses %s', (_case, body, secret, signed) => {
      expect(verifyTimestampedSignature(body, secret, signed, { nowSeconds: SENT_AT })).toBe(false);
    });
  });
});
