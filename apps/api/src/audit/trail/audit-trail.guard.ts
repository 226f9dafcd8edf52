import { finished } from 'node:stream';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { principalOfRequest } from '@ahe/platform';
import { auditLine, type AuditedRead } from './audit-line';

export const AUDIT_READ = 'ahe:audit-read';

/** Set on a request once its line is promised: @AuditRead on both a controller and a route logs once. */
const AUDITED = Symbol('audited');

export interface AuditReadOptions {
  /**
   * Only requests with this query parameter are audit reads: GET /v1/health/:accountId is an
   * ordinary query until it carries `asOf`.
   */
  readonly whenQueryHas?: string;
}

/**
 * Writes one `audit: true` line per audit read, once the response has left or was cut short,
 * so the line carries the status the caller really got (404s and 400s included) and whether
 * a streamed export arrived whole. Requests refused by the API key guard (401, 403) never
 * reach it; the request log records those. A guard that always lets the request through,
 * after the API key guard and before the pipes and the handler, rather than an interceptor: it
 * only watches the response, and an interceptor would put every call's result through rxjs
 * (`GET /v1/health/:accountId` carries it for its as-of reads).
 */
@Injectable()
export class AuditTrailGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(PinoLogger) private readonly logger: PinoLogger,
  ) {
    logger.setContext('AuditTrail');
  }

  canActivate(context: ExecutionContext): true {
    const options = this.reflector.getAllAndOverride<AuditReadOptions | undefined>(AUDIT_READ, [context.getHandler(), context.getClass()]);
    if (context.getType() !== 'http' || options === undefined) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const query = (request.query ?? {}) as Record<string, unknown>;
    if (options.whenQueryHas !== undefined && query[options.whenQueryHas] === undefined) return true;
    if ((request as { [AUDITED]?: true })[AUDITED]) return true;
    Object.assign(request, { [AUDITED]: true });

    const read: AuditedRead = {
      method: request.method,
      route: request.routeOptions.url ?? request.url.split('?')[0]!,
      params: (request.params ?? {}) as Record<string, unknown>,
      query,
      principal: principalOfRequest(request),
      correlationId: request.id,
      remoteAddress: request.ip,
    };
    const started = performance.now();
    const response = context.switchToHttp().getResponse<FastifyReply>().raw;
    finished(response, (error) => {
      const outcome = { status: response.statusCode, finished: !error && response.writableFinished, durationMs: performance.now() - started };
      // A context of its own: the request's logger would repeat the request under `req` and
      // the correlation id, which the line carries itself.
      this.logger.runInContext(() => this.logger.info(auditLine(read, outcome)));
    });
    return true;
  }
}
