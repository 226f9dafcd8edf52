import { performance } from 'node:perf_hooks';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Histogram } from 'prom-client';
import { DomainError } from '@ahe/domain';
import { WrongExpectedRevisionError, type AppendResult, type EventStore } from '@ahe/event-store';
import { EVENT_STORE, MetricsService, runAccountCommand } from '@ahe/platform';
import { Clock } from './clock';
import { ExecuteAccountCommand } from './execute-account-command';

type CommandOutcome = 'accepted' | 'refused' | 'conflict' | 'error';

function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof WrongExpectedRevisionError) return 'conflict';
  return error instanceof DomainError ? 'refused' : 'error';
}

/** The bus's adapter onto runAccountCommand (load, fold, decide, append), timed for /metrics. */
@CommandHandler(ExecuteAccountCommand)
export class AccountCommandHandler implements ICommandHandler<ExecuteAccountCommand> {
  private readonly latency: Histogram<'command' | 'outcome'>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.latency = metrics.histogram<'command' | 'outcome'>({
      name: 'ahe_command_duration_seconds',
      help: "One account command of the API's command bus, to its append (retries on a concurrent write included), by command and outcome: accepted, refused (a domain rule), conflict (If-Match), error",
      labelNames: ['command', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
  }

  async execute({ accountId, command, options }: ExecuteAccountCommand): Promise<AppendResult> {
    const started = performance.now();
    let outcome: CommandOutcome = 'accepted';
    try {
      return await runAccountCommand(this.store, accountId, command, options, () => this.clock.now());
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      this.latency.observe({ command: command.type, outcome }, (performance.now() - started) / 1000);
    }
  }
}
