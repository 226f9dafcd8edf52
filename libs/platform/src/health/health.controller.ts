import { Controller, Get, HttpStatus, Inject, Logger, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { ReadinessRegistry } from './readiness.registry';
import { Public } from '../auth/roles.decorator';

/** Liveness and readiness for orchestrators; no API key needed (see API.md, Operations). */
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  /** Answers while the event loop does: no dependency is consulted, so a slow database never gets the process restarted. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<HealthCheckResult> {
    const checks = this.readiness
      .list()
      .map((check) => () => this.indicators.check(check.name).attempt(check.probe).withTimeout(check.timeoutMs));
    try {
      return await this.health.check(checks);
    } catch (error) {
      const answer = notReady(error);
      if (answer instanceof ServiceUnavailableException) this.logger.warn(answer.message);
      throw answer;
    }
  }
}

/** Terminus throws its own body; the API answers in the one error shape, the failing checks named. */
function notReady(error: unknown): unknown {
  if (!(error instanceof ServiceUnavailableException)) return error;
  const result = error.getResponse() as Partial<HealthCheckResult>;
  const failing = Object.entries(result.error ?? {}).map(([name, detail]) => {
    const reason = typeof detail?.['message'] === 'string' ? `: ${detail['message']}` : '';
    return `${name} is down${reason}`;
  });
  const message = result.status === 'shutting_down' ? 'Shutting down' : `Not ready: ${failing.join('; ') || 'a check failed'}`;
  return new ServiceUnavailableException({
    statusCode: HttpStatus.SERVICE_UNAVAILABLE,
    error: 'Service Unavailable',
    message,
    details: result,
  });
}
