import { z } from 'zod';
import type { SqlQueryable } from '@ahe/database';
import { InvalidCursorError, isSortValueText } from '../account-health/health-cursor';
import type { Page, SatisfactionTrendPoint, SatisfactionTrendQuery, TrendGroupBy, TrendInterval } from '../query.types';
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

/** At most `limit` points, those after the point `cursor` names (a previous page's nextCursor). */
export interface TrendPageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** The last point of a page: its series (grouping and interval), key and period. */
const trendCursorSchema = z.strictObject({ g: z.string(), i: z.string(), k: z.string(), p: z.string() });

/**
 * The series of one grouping and interval, ordered by key then period; with `page`, one page of
 * it. Reads the logical name: the engine keeps a view of that name over the generation serving
 * queries. Keys sort in the database's collation, the primary key's order, so every page is one
 * index range; (key, period) is unique within a series, so a walk sees each point once.
 */
export function satisfactionTrends(sql: SqlQueryable, query: SatisfactionTrendQuery): Promise<SatisfactionTrendPoint[]>;
export function satisfactionTrends(sql: SqlQueryable, query: SatisfactionTrendQuery, page: TrendPageRequest): Promise<Page<SatisfactionTrendPoint>>;
export async function satisfactionTrends(
  sql: SqlQueryable,
  query: SatisfactionTrendQuery,
  page?: TrendPageRequest,
): Promise<SatisfactionTrendPoint[] | Page<SatisfactionTrendPoint>> {
  const params: unknown[] = [query.groupBy, query.interval];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where = ['group_by = $1', '"interval" = $2'];
  if (query.key !== undefined) where.push(`group_key = ${bind(query.key)}`);
  if (query.from !== undefined) where.push(`period_start >= ${bind(query.from)}::date`);
  if (query.to !== undefined) where.push(`period_start <= ${bind(query.to)}::date`);
  const after = page?.cursor === undefined ? null : decodeTrendCursor(page.cursor, query);
  if (after !== null) where.push(`(group_key, period_start) > (${bind(after.key)}::text, ${bind(after.period)}::date)`);
  // One row past the page says whether another page follows.
  const limit = page === undefined ? '' : `LIMIT ${bind(page.limit + 1)}`;
  const { rows } = await sql.query<TrendRow>(
    `SELECT group_key, to_char(period_start, 'YYYY-MM-DD') AS period, responses, score_sum::float8 AS score_sum,
       csat_responses, csat_sum::float8 AS csat_sum, nps_responses, nps_promoters, nps_detractors
     FROM ${SATISFACTION_TRENDS} WHERE ${where.join(' AND ')}
     ORDER BY group_key, period_start ${limit}`,
    params,
  );
  const points = rows.map((row) => trendPoint(query.groupBy, query.interval, row));
  if (page === undefined) return points;
  const items = points.slice(0, page.limit);
  const last = items[items.length - 1];
  const nextCursor = points.length > page.limit && last !== undefined ? encodeTrendCursor(last) : null;
  return { items, nextCursor };
}

function encodeTrendCursor(point: SatisfactionTrendPoint): string {
  return Buffer.from(JSON.stringify({ g: point.groupBy, i: point.interval, k: point.key, p: point.period })).toString('base64url');
}

/** The key and period a cursor of this series names; InvalidCursorError for anything this API did not hand out for it. */
function decodeTrendCursor(text: string, query: SatisfactionTrendQuery): { readonly key: string; readonly period: string } {
  const malformed = () => new InvalidCursorError('cursor is malformed: pass the nextCursor of a previous page unchanged');
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const parsed = trendCursorSchema.safeParse(json);
  // PostgreSQL refuses U+0000 in text, and casts the period back to a date.
  if (!parsed.success || parsed.data.k.includes('\u0000') || !isSortValueText('date', parsed.data.p)) throw malformed();
  if (parsed.data.g !== query.groupBy || parsed.data.i !== query.interval) {
    throw new InvalidCursorError(`cursor belongs to another series, not groupBy=${query.groupBy}&interval=${query.interval}: start again without a cursor`);
  }
  return { key: parsed.data.k, period: parsed.data.p };
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
