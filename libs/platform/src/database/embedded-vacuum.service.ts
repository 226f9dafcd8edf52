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
  /** Warned of the age past XID_AGE_WARNING: once as it crosses, not at every step. */
  private warned = false;

  constructor(@Inject(SQL_CLIENT) sql: SqlClient, @Inject(APP_CONFIG) config: AppConfig, @Inject(MetricsService) metrics: MetricsService) {
    if (sql.kind !== 'embedded') return;
    const runs = metrics.counter<'reason'>({
      name: 'ahe_embedded_vacuums_total',
      help: 'Tables the embedded store vacuumed or analyzed, by reason: wraparound, dead_rows, inserts, statistics',
      labelNames: ['reason'],
    });
    const seconds = metrics.histogram<'reason'>({
      name: 'ahe_embedded_vacuum_seconds',
      help: "Time from sending one table's VACUUM or ANALYZE to its end, the wait for the embedded store's one connection included (every other statement waits while it runs)",
      labelNames: ['reason'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
    const xidAge = metrics.gauge({
      name: 'ahe_embedded_oldest_xid_age',
      help: "Age in transactions of the oldest unfrozen transaction id of the embedded store's database (PostgreSQL wraps around at about 2.1 billion)",
    });
    this.vacuum = new EmbeddedVacuum(sql, {
      intervalMs: config.embeddedVacuumIntervalMs,
      onStep: (outcome) => {
        this.report(outcome);
        xidAge.set(outcome.oldestXidAge);
        if (outcome.vacuumed) {
          runs.inc({ reason: outcome.vacuumed.reason });
          seconds.observe({ reason: outcome.vacuumed.reason }, outcome.vacuumed.durationMs / 1000);
        }
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
      const durationMs = Math.round(vacuumed.durationMs);
      const msg = `Embedded store: ${vacuumed.statement} (${vacuumed.reason}) took ${durationMs} ms`;
      // An object: nestjs-pino keeps its fields on the line, with `msg` as the message.
      this.logger.log({ msg, table: vacuumed.target, reason: vacuumed.reason, durationMs });
    }
    const pastWarning = oldestXidAge > XID_AGE_WARNING;
    if (pastWarning && !this.warned) {
      const msg = `Embedded store: its oldest unfrozen transaction id is ${oldestXidAge} transactions old; PostgreSQL wraps around at about 2.1 billion`;
      this.logger.warn({ msg, oldestXidAge });
    }
    this.warned = pastWarning;
  }
}
