import { TimestampField } from './fields';

/** Every command may be back-dated: `occurredAt` is business time, default now, never in the future. */
export abstract class CommandDto {
  @TimestampField({ optional: true, description: 'When it happened (business time), UTC; default now; not in the future' })
  readonly occurredAt?: string;
}
