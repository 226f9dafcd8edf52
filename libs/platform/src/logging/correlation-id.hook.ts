import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { acceptOrGenerateCorrelationId, CORRELATION_ID_HEADER } from './correlation-id';

/**
 * Fastify's `genReqId`: the correlation id becomes Fastify's request id, so Fastify, the request log
 * (which reuses `req.id`) and the exception filter all see the same value.
 */
export function correlationIdOf(raw: IncomingMessage): string {
  return acceptOrGenerateCorrelationId(raw.headers[CORRELATION_ID_HEADER]);
}

/**
 * Echoes the id. An `onRequest` hook added before Nest registers middie, so it runs ahead of
 * every middleware and for unknown routes too; the header goes on the raw response so that
 * replies written around Fastify carry it as well. The request-logging hook, next, makes the
 * id current for the rest of the request.
 */
export function registerCorrelationIdHook(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    (request.raw as IncomingMessage & { id?: string }).id = request.id;
    reply.raw.setHeader(CORRELATION_ID_HEADER, request.id);
    done();
  });
}

/** `@CorrelationId() correlationId: string` in a controller: the id without AsyncLocalStorage. */
export const CorrelationId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<FastifyRequest>().id,
);
