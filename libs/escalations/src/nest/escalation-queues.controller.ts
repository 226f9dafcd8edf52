import { BadRequestException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, Roles, type AppConfig } from '@ahe/platform';
import { ESCALATION_QUEUES, type EscalationQueueName } from '../escalation-jobs';
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

  @Post('dead-letters/:queue/:jobId/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: "Run a dead letter's job again, with all its attempts (once the cause is fixed, e.g. a webhook receiver back up); 404 when there is no such dead letter" })
  async retry(@Param('queue') queue: string, @Param('jobId') jobId: string): Promise<{ readonly queue: EscalationQueueName; readonly id: string; readonly retried: true }> {
    const name = queueNameOf(queue);
    if (!JOB_ID.test(jobId)) throw badParameter('jobId', `jobId must be 1 to 128 characters from A-Z, a-z, 0-9, "_" and "-" (got ${JSON.stringify(jobId)})`);
    if (!(await this.queue.retryDeadLetter(name, jobId))) {
      throw new NotFoundException({ message: `No dead letter ${jobId} in the ${name} queue (never, or already retried)`, code: 'DEAD_LETTER_NOT_FOUND', field: 'jobId' });
    }
    return { queue: name, id: jobId, retried: true };
  }
}

/** QueuedJob ids (escalation-queue.port.ts). */
const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;

const badParameter = (field: string, message: string) => new BadRequestException({ message, code: 'VALIDATION_FAILED', field, details: [{ field, messages: [message] }] });

function queueNameOf(raw: string): EscalationQueueName {
  const name = ESCALATION_QUEUES.find((queue) => queue === raw);
  if (name === undefined) throw badParameter('queue', `queue must be one of ${ESCALATION_QUEUES.join(', ')} (got ${JSON.stringify(raw)})`);
  return name;
}

function deadLetterLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 50;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_DEAD_LETTERS) {
    throw badParameter('deadLetters', `deadLetters must be an integer between 0 and ${MAX_DEAD_LETTERS} (got ${JSON.stringify(raw)})`);
  }
  return value;
}
