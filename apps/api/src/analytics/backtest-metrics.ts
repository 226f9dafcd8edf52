import type { MetricsService } from '@ahe/platform';

/** Injection token of the backtest route's BacktestMetrics. */
export const BACKTEST_METRICS = Symbol('BACKTEST_METRICS');

/** How a backtest request was answered: a kept answer, a replay another request started, a replay of its own, or refused. */
export type BacktestServed = 'cache' | 'shared' | 'replay' | 'busy';

/** What GET /v1/analytics/backtest reports to /metrics. */
export interface BacktestMetrics {
  /** Counted as soon as the request's way of being answered is decided, before any replay ends. */
  served(how: BacktestServed): void;
  replaysRunning(count: number): void;
}

export function backtestMetrics(metrics: MetricsService): BacktestMetrics {
  const requests = metrics.counter<'served'>({
    name: 'ahe_backtest_requests_total',
    help: 'GET /v1/analytics/backtest requests past validation, by how they were served: cache (a kept answer), shared (a replay under way for the same question), replay (a replay of the whole log), busy (refused with 503 BACKTEST_BUSY)',
    labelNames: ['served'],
  });
  const running = metrics.gauge({
    name: 'ahe_backtest_replays_running',
    help: 'Whole-log backtest replays running in this process',
  });
  return {
    served: (how) => requests.inc({ served: how }),
    replaysRunning: (count) => running.set(count),
  };
}
