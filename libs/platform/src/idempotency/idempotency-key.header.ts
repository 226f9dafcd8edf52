import { BadRequestException } from '@nestjs/common';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replay';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The request's Idempotency-Key, undefined when absent; 400 when it is not 1–255 printable ASCII characters. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? undefined : raw.trim();
  if (value === undefined || !KEY_PATTERN.test(value)) {
    throw new BadRequestException({
      message: 'Idempotency-Key must be one value of 1 to 255 printable ASCII characters without spaces',
      code: 'INVALID_IDEMPOTENCY_KEY',
      field: 'Idempotency-Key',
    });
  }
  return value;
}
