import type { AccountHealthView, PortfolioRollup, SatisfactionTrendPoint } from '@ahe/read-models';
import type { CsvColumn } from './csv-table';

const column = <Row>(header: string, value: CsvColumn<Row>['value']): CsvColumn<Row> => ({ header, value });

/** The account_health row flattened: nested objects become prefixed columns, factors one `name=points;…` cell. */
export const HEALTH_CSV_COLUMNS: readonly CsvColumn<AccountHealthView>[] = [
  column('accountId', (row) => row.accountId),
  column('name', (row) => row.name),
  column('segment', (row) => row.segment),
  column('managerId', (row) => row.managerId),
  column('status', (row) => row.status),
  column('churnRisk', (row) => row.churnRisk),
  column('band', (row) => row.band),
  column('satisfactionLatest', (row) => row.satisfaction.latest),
  column('satisfactionMean90d', (row) => row.satisfaction.mean90d),
  column('satisfactionTrend', (row) => row.satisfaction.trend),
  column('satisfactionArrow', (row) => row.satisfaction.arrow),
  column('ltvRealized', (row) => row.ltv.realized),
  column('ltvExpected', (row) => row.ltv.expected),
  column('ltvTotal', (row) => row.ltv.total),
  column('currency', (row) => row.ltv.currency),
  column('ltvModel', (row) => row.ltv.model),
  column('openComplaints', (row) => row.openComplaints),
  column('overdueInvoices', (row) => row.overdueInvoices),
  column('daysSinceLastContact', (row) => row.daysSinceLastContact),
  column('renewalDate', (row) => row.renewalDate),
  column('scoringVersion', (row) => row.scoringVersion),
  column('position', (row) => row.position),
  column('updatedAt', (row) => row.updatedAt),
  column('factors', (row) => row.factors.map((factor) => `${factor.name}=${factor.points}`).join(';')),
];

export const TREND_CSV_COLUMNS: readonly CsvColumn<SatisfactionTrendPoint>[] = [
  column('groupBy', (row) => row.groupBy),
  column('key', (row) => row.key),
  column('interval', (row) => row.interval),
  column('period', (row) => row.period),
  column('responses', (row) => row.responses),
  column('mean', (row) => row.mean),
  column('csatResponses', (row) => row.csat.responses),
  column('csatMean', (row) => row.csat.mean),
  column('npsResponses', (row) => row.nps.responses),
  column('npsPromoters', (row) => row.nps.promoters),
  column('npsDetractors', (row) => row.nps.detractors),
  column('npsScore', (row) => row.nps.score),
];

export const PORTFOLIO_CSV_COLUMNS: readonly CsvColumn<PortfolioRollup>[] = [
  column('groupBy', (row) => row.groupBy),
  column('key', (row) => row.key),
  column('currency', (row) => row.currency),
  column('accounts', (row) => row.accounts),
  column('green', (row) => row.bands.green),
  column('amber', (row) => row.bands.amber),
  column('red', (row) => row.bands.red),
  column('closed', (row) => row.closed),
  column('revenueAtRisk', (row) => row.revenueAtRisk),
  column('revenueAtWatch', (row) => row.revenueAtWatch),
  column('expectedLtv', (row) => row.expectedLtv),
  column('realizedLtv', (row) => row.realizedLtv),
  // Last, so that clients reading the columns by position before it was added still can.
  column('churned', (row) => row.churned),
];
