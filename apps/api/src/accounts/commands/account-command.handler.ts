import { setTimeout as sleep } from 'node:timers/promises';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountStreamId, decide, evolve, initialState, type FoldableEvent } from '@ahe/domain';
import { currentSchemaVersion, upcast } from '@ahe/events';
import { WrongExpectedRevisionError, type AppendResult, type EventStore } from '@ahe/event-store';
import { EVENT_STORE } from '@ahe/platform';
import { Clock } from './clock';
import { ExecuteAccountCommand } from './execute-account-command';

/** Enough for a burst of concurrent writers on one account; each retry re-reads and re-decides. */
const MAX_ATTEMPTS = 25;

/** Load, fold, decide, append at the revision read; without If-Match, a conflict is retried. */
@CommandHandler(ExecuteAccountCommand)
export class AccountCommandHandler implements ICommandHandler<ExecuteAccountCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(message: ExecuteAccountCommand): Promise<AppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(message);
      } catch (error) {
        const retry = error instanceof WrongExpectedRevisionError && message.options.expectedRevision === undefined;
        if (!retry || attempt >= MAX_ATTEMPTS) throw error;
        await sleep(Math.random() * 2 * attempt);
      }
    }
  }

  private async attempt({ accountId, command, options }: ExecuteAccountCommand): Promise<AppendResult> {
    const streamId = accountStreamId(accountId);
    const history = await this.store.readStream(streamId);
    const revision = history.at(-1)?.revision ?? -1;
    if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
      throw new WrongExpectedRevisionError(streamId, options.expectedRevision, revision);
    }
    const state = history.reduce(
      (folded, event) => evolve(folded, { ...upcast(event), occurredAt: event.occurredAt } as FoldableEvent),
      initialState(),
    );
    const now = this.clock.now().toISOString();
    const occurredAt = options.occurredAt ?? now;
    const events = decide(command, state, { now, occurredAt, accountId });
    const newEvents = events.map((event, index) => ({
      ...(options.eventIdOf ? { eventId: options.eventIdOf(index) } : {}),
      type: event.type,
      schemaVersion: currentSchemaVersion(event.type),
      occurredAt,
      data: event.data,
      metadata: { ...options.metadata },
    }));
    return this.store.append(streamId, newEvents, revision === -1 ? 'no_stream' : revision);
  }
}
