import { randomFillSync } from 'node:crypto';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
const UUID_LENGTH = 36;

/**
 * Random bytes drawn ahead from the system's secure generator, 256 UUIDs' worth at a time (as
 * `crypto.randomUUID` keeps its own cache): a single-event append, every API command, would
 * otherwise pay a call into the generator for 16 bytes. Each byte is handed out once.
 */
const POOL_SIZE = 256 * 16;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes(length: number): { readonly bytes: Buffer; readonly offset: number } {
  if (length > POOL_SIZE) return { bytes: randomFillSync(Buffer.allocUnsafe(length)), offset: 0 };
  if (poolOffset + length > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += length;
  return { bytes: pool, offset };
}

/**
 * `count` random (version 4) UUIDs, as `crypto.randomUUID` writes them, from the secure
 * generator (through the pool above). randomUUID answers a string concatenated from 20 pieces,
 * which every later use (a Set, the hashed text, the parameters sent) walks again; these are
 * flat.
 */
export function randomUuids(count: number): string[] {
  const { bytes: random, offset } = randomBytes(count * 16);
  const text = Buffer.allocUnsafe(count * UUID_LENGTH);
  const uuids = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    const from = offset + index * 16;
    random[from + 6] = (random[from + 6]! & 0x0f) | 0x40; // version 4
    random[from + 8] = (random[from + 8]! & 0x3f) | 0x80; // variant 10xx (RFC 4122)
    const start = index * UUID_LENGTH;
    let at = start;
    for (let byte = 0; byte < 16; byte++) {
      if (byte === 4 || byte === 6 || byte === 8 || byte === 10) text[at++] = DASH;
      const value = random[from + byte]!;
      text[at++] = HEX_DIGITS[value >> 4]!;
      text[at++] = HEX_DIGITS[value & 0x0f]!;
    }
    uuids[index] = text.toString('latin1', start, at);
  }
  return uuids;
}
