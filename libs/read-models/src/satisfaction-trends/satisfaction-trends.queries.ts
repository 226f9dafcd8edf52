import type { SqlQueryable } from '@ahe/database';
import type { SatisfactionTrendPoint, SatisfactionTrendQuery, TrendGroupBy, TrendInterval } from '../query.types';
import { SATISFACTION_TRENDS } from './satisfaction-trends.table';

interface TrendRow {
  group_key: string;
  period: string;
  responses: number;
  score_sum: number;
  csat_responses: number;
  csat_sum: number;
  nps_responses: number;
  nps_promoters: number;
  nps_detractors: number;
}

/**
 * The series of one grouping and interval, ordered by key then period. Reads the logical
 * name: the engine keeps a view of that name over the generation serving queries. Keys sort
 * bytewise (COLLATE "C") so the order is the same on every database.
 */
export async function satisfactionTrends(sql: SqlQueryable, query: SatisfactionTrendQuery): Promise<SatisfactionTrendPoint[]> {
  const params: unknown[] = [query.groupBy, query.interval];
  const where = ['group_by = $1', '"interval" = $2'];
  if (query.key !== undefined) where.push(`group_key = $${params.push(query.key)}`);
  if (query.from !== undefined) where.push(`period_start >= $${params.push(query.from)}::date`);
  if (query.to !== undefined) where.push(`period_start <= $${params.push(query.to)}::date`);
  const { rows } = await sql.query<TrendRow>(
    `SELECT group_key, to_char(period_start, 'YYYY-MM-DD') AS period, responses, score_sum::float8 AS score_sum,
       csat_responses, csat_sum::float8 AS csat_sum, nps_responses, nps_promoters, nps_detractors
     FROM ${SATISFACTION_TRENDS} WHERE ${where.join(' AND ')}
     ORDER BY group_key COLLATE "C", period_start`,
    params,
  );
  return rows.map((row) => trendPoint(query.groupBy, query.interval, row));
}

function trendPoint(groupBy: TrendGroupBy, interval: TrendInterval, row: TrendRow): SatisfactionTrendPoint {
  return {
    groupBy,
    key: row.group_key,
    interval,
    period: row.period,
    responses: row.responses,
    mean: round(row.score_sum / row.responses, 2),
    csat: { responses: row.csat_responses, mean: row.csat_responses === 0 ? null : round(row.csat_sum / row.csat_responses, 2) },
    nps: {
      responses: row.nps_responses,
      promoters: row.nps_promoters,
      detractors: row.nps_detractors,
      score: npsScore(row.nps_promoters, row.nps_detractors, row.nps_responses),
    },
  };
}

/** Net Promoter Score: % promoters − % detractors, one decimal; null without nps responses. */
export function npsScore(promoters: number, detractors: number, responses: number): number | null {
  return responses === 0 ? null : round(((promoters - detractors) / responses) * 100, 1);
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return rounded === 0 ? 0 : rounded;
}
