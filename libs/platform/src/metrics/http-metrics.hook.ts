import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/** Label for requests no route matched: raw URLs as labels would grow the series without bound. */
export const UNMATCHED_ROUTE = 'unmatched';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Times every response, errors and 404s included, which an interceptor would miss: body-parse
 * failures and unknown routes never reach one. The route label is the route's pattern.
 */
export function registerHttpMetricsHook(fastify: FastifyInstance, metrics: MetricsService): void {
  const duration = metrics.histogram<'method' | 'route' | 'status_code'>({
    name: 'ahe_http_request_duration_seconds',
    help: 'Time from request received to response sent, by route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      {
        method: request.method,
        route: request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE),
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
