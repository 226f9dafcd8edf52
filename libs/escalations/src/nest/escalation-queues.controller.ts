import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, Roles, type AppConfig } from '@ahe/platform';
import type { DeadLetter, EscalationQueue, QueueDepth } from '../queue';
import { ESCALATION_QUEUE } from './escalation-queue.module';

export interface EscalationQueuesView {
  /** `bullmq` on REDIS_URL, else `in-process`. */
  readonly backend: 'bullmq' | 'in-process';
  readonly queues: readonly QueueDepth[];
  /** Newest first: jobs whose retries ran out, with their last error. */
  readonly deadLetters: readonly DeadLetter[];
}

const MAX_DEAD_LETTERS = 1_000;

/** The queues at a glance, on either backend (Bull Board needs BullMQ). */
@ApiTags('escalations')
@Controller('v1/escalations/queues')
export class EscalationQueuesController {
  constructor(
    @Inject(ESCALATION_QUEUE) private readonly queue: EscalationQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Depth of each escalation queue and the dead-letter queue, with the latest dead letters' })
  @ApiQuery({ name: 'deadLetters', required: false, description: `How many dead letters to list (0–${MAX_DEAD_LETTERS}, default 50)` })
  async queues(@Query('deadLetters') deadLetters?: string): Promise<EscalationQueuesView> {
    const limit = deadLetterLimit(deadLetters);
    return {
      backend: this.config.redisUrl ? 'bullmq' : 'in-process',
      queues: await this.queue.depths(),
      deadLetters: limit === 0 ? [] : await this.queue.deadLetters(limit),
    };
  }
}

function deadLetterLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 50;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_DEAD_LETTERS) {
    const message = `deadLetters must be an integer between 0 and ${MAX_DEAD_LETTERS} (got ${JSON.stringify(raw)})`;
    throw new BadRequestException({ message, code: 'VALIDATION_FAILED', field: 'deadLetters', details: [{ field: 'deadLetters', messages: [message] }] });
  }
  return value;
}
