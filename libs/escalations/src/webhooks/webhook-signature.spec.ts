import { signWebhookBody, verifyWebhookSignature } from './webhook-signature';

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
});
