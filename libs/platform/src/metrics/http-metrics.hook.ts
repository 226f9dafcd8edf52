import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricsService } from './metrics.service';

/** Label for requests no route matched: raw URLs as labels would grow the series without bound. */
export const UNMATCHED_ROUTE = 'unmatched';

/** status_code of a request the client gave up on before its response was sent. */
export const ABORTED_STATUS = 'aborted';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Times every response, errors and 404s included, which an interceptor would miss: body-parse
 * failures and unknown routes never reach one. The route label is the route's pattern.
 *
 * Node never finishes the response of a request its client abandons (a timeout on its side, a
 * closed tab), so onResponse does not see it: those requests, often the slowest, are timed until
 * the abort as status_code="aborted".
 */
export function registerHttpMetricsHook(fastify: FastifyInstance, metrics: MetricsService): void {
  const duration = metrics.histogram<'method' | 'route' | 'status_code'>({
    name: 'ahe_http_request_duration_seconds',
    help: 'Time from request received to response sent (or to the client abandoning it: status_code="aborted"), by route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
  });
  // onRequestAbort is given no reply, whose clock it would read: the start is kept here.
  const received = new WeakMap<FastifyRequest, number>();
  const aborted = new WeakSet<FastifyRequest>();
  const routeOf = (request: FastifyRequest) => (request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE));
  fastify.addHook('onRequest', (request, _reply, done) => {
    received.set(request, performance.now());
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    aborted.add(request);
    const seconds = (performance.now() - (received.get(request) ?? performance.now())) / 1000;
    duration.observe({ method: request.method, route: routeOf(request), status_code: ABORTED_STATUS }, seconds);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    // Counted once, should a response still report its end after the abort.
    if (!aborted.has(request)) {
      duration.observe({ method: request.method, route: routeOf(request), status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    }
    done();
  });
}
