import { Command } from '@nestjs/cqrs';
import type { AccountCommand } from '@ahe/domain';
import type { AppendResult } from '@ahe/event-store';

export interface CommandMetadata {
  readonly correlationId?: string;
  readonly causationId?: string;
  /** `role:keyId` of the API key, or `anonymous`; never the key. */
  readonly actor: string;
  readonly idempotencyKey?: string;
  /** requestHash of the keyed request: stored with the events, it tells a retry whether they were its own. */
  readonly idempotencyRequest?: string;
}

/** One command for one account, as the bus carries it to AccountCommandHandler. */
export class ExecuteAccountCommand extends Command<AppendResult> {
  constructor(
    readonly accountId: string,
    readonly command: AccountCommand,
    readonly options: {
      /** Business time; defaults to the clock's now. */
      readonly occurredAt?: string;
      /** From If-Match: a mismatch is a 409 and is not retried. */
      readonly expectedRevision?: number;
      readonly metadata: CommandMetadata;
      /** Ids for the decided events by index, stable across retries (derived from the Idempotency-Key). */
      readonly eventIdOf?: (index: number) => string;
    },
  ) {
    super();
  }
}
