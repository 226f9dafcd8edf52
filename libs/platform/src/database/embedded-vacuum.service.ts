import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EmbeddedVacuum, type SqlClient, type VacuumStepOutcome } from '@ahe/database';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { MetricsService } from '../metrics/metrics.service';
import { SQL_CLIENT } from './sql-client.token';

/** Half the way to the wraparound: past it the vacuum is not keeping up, and someone should know. */
const XID_AGE_WARNING = 1_000_000_000;

/**
 * Runs the embedded store's vacuum (EmbeddedVacuum) in a process that holds the embedded
 * database, and reports it: a log line for each table maintained, /metrics for the rest.
 * On PostgreSQL the server's autovacuum does this, and nothing runs here.
 */
@Injectable()
export class EmbeddedVacuumService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Database');
  private readonly vacuum?: EmbeddedVacuum;

  constructor(@Inject(SQL_CLIENT) sql: SqlClient, @Inject(APP_CONFIG) config: AppConfig, @Inject(MetricsService) metrics: MetricsService) {
    if (sql.kind !== 'embedded') return;
    const runs = metrics.counter<'reason'>({
      name: 'ahe_embedded_vacuums_total',
      help: 'Tables the embedded store vacuumed or analyzed, by reason: wraparound, dead rows, inserts, statistics',
      labelNames: ['reason'],
    });
    const seconds = metrics.histogram<'reason'>({
      name: 'ahe_embedded_vacuum_seconds',
      help: "Time one table's vacuum held the embedded store's one connection (every other statement waits meanwhile)",
      labelNames: ['reason'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    const xidAge = metrics.gauge({
      name: 'ahe_embedded_oldest_xid_age',
      help: "Age in transactions of the embedded store's oldest unfrozen transaction id (PostgreSQL wraps around at about 2.1 billion)",
    });
    this.vacuum = new EmbeddedVacuum(sql, {
      intervalMs: config.embeddedVacuumIntervalMs,
      onStep: (outcome) => {
        xidAge.set(outcome.oldestXidAge);
        if (outcome.vacuumed) {
          runs.inc({ reason: outcome.vacuumed.reason });
          seconds.observe({ reason: outcome.vacuumed.reason }, outcome.vacuumed.durationMs / 1000);
        }
        this.report(outcome);
      },
      onError: (error) => this.logger.warn(`Embedded store vacuum failed: ${error.message}`),
    });
  }

  onApplicationBootstrap(): void {
    this.vacuum?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.vacuum?.stop();
  }

  private report({ vacuumed, oldestXidAge }: VacuumStepOutcome): void {
    if (vacuumed) {
      const ms = Math.round(vacuumed.durationMs);
      // An object: nestjs-pino keeps its fields on the line, with `msg` as the message.
      this.logger.log({ msg: `Embedded store: ${vacuumed.statement} (${vacuumed.reason}) took ${ms} ms`, table: vacuumed.target, reason: vacuumed.reason, durationMs: ms });
    }
    if (oldestXidAge > XID_AGE_WARNING) {
      this.logger.warn({ msg: `Embedded store: its oldest unfrozen transaction id is ${oldestXidAge} transactions old; PostgreSQL wraps around at about 2.1 billion`, oldestXidAge });
    }
  }
}
