import { createHash } from 'node:crypto';
import type { ApiKey } from '../config/api-keys.schema';
import { keyIdOf, principalOf, tokenDigestOf } from './principal';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('principalOf', () => {
  const keys: ApiKey[] = [
    { role: 'writer', key: 'key-one' },
    { role: 'analyst', key: 'key-two' },
    { role: 'admin', key: 'key-one' },
  ];

  it('finds a key by its digest, with every role it is listed under and its key id', () => {
    const keyId = sha256('key-one').slice(0, 12);
    expect(principalOf(keys, 'key-one')).toEqual({ roles: ['writer', 'admin'], keyId, actor: `admin+writer:${keyId}` });
    expect(principalOf(keys, 'key-two')?.roles).toEqual(['analyst']);
    expect(principalOf(keys, 'key-thre')).toBeUndefined();
    expect(principalOf([], 'key-one')).toBeUndefined();
  });

  it('hashes a request token once and reuses it, but never for another token', () => {
    const request = {};
    expect(tokenDigestOf('key-one', request)).toBe(sha256('key-one'));
    expect(keyIdOf('key-one', request)).toBe(sha256('key-one').slice(0, 12));
    expect(principalOf(keys, 'key-two', request)?.roles).toEqual(['analyst']);
    expect(keyIdOf('key-one')).toBe(sha256('key-one').slice(0, 12));
  });
});
