import type { SqlQueryable } from '@ahe/database';
import type { Band, HealthHistoryPoint, HealthHistoryQuery, HistoryInterval } from '../query.types';
import { HEALTH_HISTORY } from './health-history.table';

/** The first day of each bucket; date_trunc's week starts on the ISO Monday. */
const BUCKET: Readonly<Record<HistoryInterval, string>> = {
  day: 'day',
  week: `date_trunc('week', day)::date`,
  month: `date_trunc('month', day)::date`,
};

interface HistoryRow {
  period: string;
  churn_risk: number;
  band: Band;
  satisfaction_latest: number | null;
  satisfaction_mean90d: number | null;
  ltv_realized: number;
  ltv_expected: number;
  ltv_total: number;
  position: number;
}

/** Each bucket shows its last day-row: the state the account ended the week or month in. */
export async function healthHistory(sql: SqlQueryable, query: HealthHistoryQuery): Promise<HealthHistoryPoint[]> {
  const params: unknown[] = [query.accountId];
  const where = ['account_id = $1'];
  if (query.from !== undefined) where.push(`day >= $${params.push(query.from)}::date`);
  if (query.to !== undefined) where.push(`day <= $${params.push(query.to)}::date`);
  const bucket = BUCKET[query.interval];
  const { rows } = await sql.query<HistoryRow>(
    `SELECT DISTINCT ON (${bucket}) to_char(${bucket}, 'YYYY-MM-DD') AS period, churn_risk, band,
       satisfaction_latest::float8 AS satisfaction_latest, satisfaction_mean90d::float8 AS satisfaction_mean90d,
       ltv_realized::float8 AS ltv_realized, ltv_expected::float8 AS ltv_expected, ltv_total::float8 AS ltv_total,
       position::float8 AS position
     FROM ${HEALTH_HISTORY} WHERE ${where.join(' AND ')}
     ORDER BY ${bucket}, day DESC`,
    params,
  );
  return rows.map((row) => ({
    period: row.period,
    churnRisk: row.churn_risk,
    band: row.band,
    satisfaction: { latest: row.satisfaction_latest, mean90d: row.satisfaction_mean90d },
    ltv: { realized: row.ltv_realized, expected: row.ltv_expected, total: row.ltv_total },
    position: row.position,
  }));
}
