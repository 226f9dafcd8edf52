import rateLimit from '@fastify/rate-limit';
import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { bearerTokenOf, keyIdOf } from '../auth/principal';

/** Operations endpoints answer orchestrators and scrapers, however often they ask. */
const EXEMPT = /^\/(health|metrics)(\/|\?|$)/;

/** Per API key (its id, never the key); per client address for requests without one. */
export const rateLimitKeyOf = (request: FastifyRequest): string => {
  const token = bearerTokenOf(request.headers.authorization);
  return token === undefined ? `ip:${request.ip}` : `key:${keyIdOf(token, request)}`;
};

/**
 * RATE_LIMIT_PER_MINUTE per API key (API.md, Conventions): over it, 429 in the API's error
 * shape with Retry-After in seconds. Registered before Nest adds its routes, which the
 * plugin's onRoute hook must see.
 */
export async function registerRateLimit(app: NestFastifyApplication, perMinute: number): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKeyOf,
    allowList: (request) => EXEMPT.test(request.url),
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new HttpException(
        {
          message: `Rate limit of ${context.max} requests per minute exceeded; retry in ${retryAfterSeconds} s`,
          code: 'RATE_LIMITED',
          details: { limitPerMinute: context.max, retryAfterSeconds },
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    },
  });
}
