import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { AppendResult, EventStore } from '@ahe/event-store';
import { EVENT_STORE, runAccountCommand } from '@ahe/platform';
import { Clock } from './clock';
import { ExecuteAccountCommand } from './execute-account-command';

/** The bus's adapter onto runAccountCommand: load, fold, decide, append. */
@CommandHandler(ExecuteAccountCommand)
export class AccountCommandHandler implements ICommandHandler<ExecuteAccountCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute({ accountId, command, options }: ExecuteAccountCommand): Promise<AppendResult> {
    return runAccountCommand(this.store, accountId, command, options, () => this.clock.now());
  }
}
