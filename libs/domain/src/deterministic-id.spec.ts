import { deterministicUuid } from './deterministic-id';

describe('deterministicUuid', () => {
  it('gives the ids it always gave: stored event ids and job ids were derived with them', () => {
    expect(deterministicUuid('writer:0123456789ab', 'order-42', 'event', '0')).toBe('138b8b29-48ff-55f9-940b-584e09a32c11');
    expect(deterministicUuid('escalation', 'acc-1', 'rule', 'cause')).toBe('06b67b3e-2dc8-5195-bd4d-088dd6a09bb3');
    expect(deterministicUuid('webhook', 'ü😀', 'https://example.test/hook')).toBe('00125011-99af-59db-b489-e78a32c7e0b9');
  });

  it('writes a version 5, RFC 4122 variant UUID that depends on how the name splits into parts', () => {
    expect(deterministicUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('a', 'b')).not.toBe(deterministicUuid('ab'));
  });
});
