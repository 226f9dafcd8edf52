import { ServiceUnavailableException } from '@nestjs/common';

/** Seconds a refused client is asked to wait: a replay of a large log takes that order of time. */
export const BACKTEST_RETRY_AFTER_S = 5;

/** 503 BACKTEST_BUSY: the process already runs as many backtest replays as it allows; the request was fine. */
export class BacktestBusyError extends ServiceUnavailableException {
  constructor(replaysAtOnce: number) {
    super({
      message: `A backtest needing a replay of the whole log was refused: this process already runs ${replaysAtOnce} `
        + `(the most it runs at once). Retry after ${BACKTEST_RETRY_AFTER_S} s; an answer already computed is served meanwhile`,
      code: 'BACKTEST_BUSY',
      details: { retryAfterSeconds: BACKTEST_RETRY_AFTER_S },
    });
  }
}
