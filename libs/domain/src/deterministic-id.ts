import { hash } from 'node:crypto';

/** A fixed namespace of the engine's own, so its name-based UUIDs do not collide with others'. */
const NAMESPACE = Buffer.from('6f1d2c3a8b4e4f7aa1c2d3e4f5a6b7c8', 'hex');

/**
 * A name-based UUID (version 5: SHA-1 of namespace ‖ name): the same name always gives the same
 * id. Events appended for an Idempotency-Key get ids derived from it, so a duplicate request
 * that slips past the idempotency table still cannot append twice: the store refuses the ids.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const name = parts.map((part) => `${part.length}:${part}`).join('|');
  // One-shot hash of one buffer: a fraction of createHash's cost (no Hash object, one update).
  const bytes = hash('sha1', Buffer.concat([NAMESPACE, Buffer.from(name)]), 'buffer').subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
