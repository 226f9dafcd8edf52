export { replayPortfolio, type PortfolioReplay, type ReplayedAccount, type ReplayOptions } from './portfolio-replay';
export { ltvModelsAsOf, ltvModelsAsOfInWorker } from './ltv-models-as-of';
export { backtestChurnRisk, churnWindowEnd, latestElapsedAsOf, type BandCalibration, type ChurnBacktest } from './churn-backtest';
