import { Inject, Injectable } from '@nestjs/common';
import { PgPoolClient, type SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '../database/sql-client.token';
import { MetricsService } from './metrics.service';

const STATES = ['total', 'idle', 'waiting'] as const;

/**
 * The PostgreSQL pool's connections, read at scrape time: `waiting` above 0 for long means
 * requests queue for a connection (PG_POOL_SIZE too small, or statements held too long)
 * before any query is slow. The embedded store has one connection and no pool: nothing here.
 */
@Injectable()
export class DatabasePoolMetrics {
  constructor(@Inject(SQL_CLIENT) sql: SqlClient, @Inject(MetricsService) metrics: MetricsService) {
    if (!(sql instanceof PgPoolClient)) return;
    metrics.gauge<'state'>({
      name: 'ahe_db_pool_connections',
      help: 'Connections of the PostgreSQL pool by state: total (opened, idle or in use), idle, waiting (callers queued for a connection)',
      labelNames: ['state'],
      collect() {
        const connections = sql.connections;
        for (const state of STATES) this.set({ state }, connections[state]);
      },
    });
  }
}
