import { ForbiddenException, Inject, Logger, Module, NotFoundException, UnauthorizedException, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, bearerTokenOf, principalOf, toErrorBody, type AppConfig } from '@ahe/platform';
import { BullMqEscalationQueue, type EscalationQueue } from '../queue';
import { ESCALATION_QUEUE, EscalationQueueModule } from './escalation-queue.module';
import { EscalationQueuesController } from './escalation-queues.controller';

export const BULL_BOARD_PATH = '/admin/queues';
const REALM = 'Basic realm="Account Health Engine queues", charset="UTF-8"';

/**
 * Bull Board, the standard BullMQ dashboard, at /admin/queues for admin keys. Browsers cannot
 * send a bearer token with the dashboard's own requests, so the key is also accepted as the
 * password of HTTP Basic auth (any user name): the browser asks once and repeats it.
 */
@Module({ imports: [EscalationQueueModule], controllers: [EscalationQueuesController] })
export class BullBoardModule implements OnModuleInit {
  private readonly logger = new Logger('Escalations');

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(ESCALATION_QUEUE) private readonly queue: EscalationQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined) return;
    if (!(this.queue instanceof BullMqEscalationQueue)) {
      fastify.get(BULL_BOARD_PATH, (_request, reply) => notOnRedis(reply));
      return;
    }
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    createBullBoard({ queues: this.queue.bullQueues().map((queue) => new BullMQAdapter(queue)), serverAdapter });
    await fastify.register(async (scope) => {
      scope.addHook('onRequest', async (request, reply) => this.authorize(request, reply));
      await scope.register(serverAdapter.registerPlugin());
    }, { prefix: BULL_BOARD_PATH });
    this.logger.log(`Bull Board at ${BULL_BOARD_PATH} (admin keys)`);
  }

  private async authorize(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (this.config.apiKeys.length === 0) return;
    const token = bearerTokenOf(request.headers.authorization) ?? basicPasswordOf(request.headers.authorization);
    const principal = token === undefined ? undefined : principalOf(this.config.apiKeys, token);
    if (principal === undefined) {
      const message = token === undefined ? 'An admin API key is required: Authorization: Bearer <key>, or Basic auth with the key as password' : 'The API key is not known';
      await reply.code(401).header('www-authenticate', REALM).send(toErrorBody(new UnauthorizedException(message)).body);
      return;
    }
    if (!principal.roles.includes('admin')) {
      await reply.code(403).send(toErrorBody(new ForbiddenException(`The queue dashboard needs the role admin; the key has ${principal.roles.join(', ')}`)).body);
    }
  }
}

function basicPasswordOf(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1) || undefined;
}

function notOnRedis(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(toErrorBody(new NotFoundException('No BullMQ queues here: without REDIS_URL escalation jobs run in process; see GET /v1/escalations/queues')).body);
}
