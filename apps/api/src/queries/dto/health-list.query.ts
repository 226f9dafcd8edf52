import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { TEXT_LIMITS } from '@ahe/events';
import { ACCOUNT_STATUSES, BANDS, HEALTH_SORT_KEYS, type Band, type HealthListQuery, type HealthSortKey } from '@ahe/read-models';
import { EnumField, IdField, TextField } from '../../accounts/dto/fields';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './query-fields';
import { numberOfQueryText, QueryTextNumberField } from './query-text-number.field';
import { badQuery } from './bad-query';

export const HEALTH_SORTS: readonly string[] = HEALTH_SORT_KEYS.flatMap((key) => [key, `-${key}`]);
export const DEFAULT_HEALTH_SORT = '-churnRisk';
const CURRENCY_CODE = /^[A-Z]{3}$/;

/** The list query with its currency filter, which HealthQueries reads beside HealthListQuery's. */
type HealthListQueryWithCurrency = HealthListQuery & { readonly currency?: string };

/** GET /v1/health: filters, order and paging of the account_health rows; numbers as the query's text (QueryTextNumberField). */
export class HealthListQueryDto {
  @EnumField(BANDS, { optional: true })
  readonly band?: Band;

  @IdField({ optional: true, example: 'mgr-7' })
  readonly managerId?: string;

  @TextField(TEXT_LIMITS.label, { optional: true, example: 'enterprise' })
  readonly segment?: string;

  @EnumField(ACCOUNT_STATUSES, { optional: true, description: 'accounts of this status only (churned: the renewal was lost and the contract has ended); all when absent' })
  readonly status?: (typeof ACCOUNT_STATUSES)[number];

  @ApiPropertyOptional({ pattern: CURRENCY_CODE.source, example: 'EUR', description: 'Only accounts in this ISO 4217 currency: LTV amounts compare only within one' })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @IsString()
  @Matches(CURRENCY_CODE, { message: '$property must be an ISO 4217 currency code of 3 upper-case letters, e.g. EUR' })
  readonly currency?: string;

  @QueryTextNumberField({ min: 0, max: 100, description: 'Only rows with churnRisk ≥ minRisk' })
  readonly minRisk?: string;

  @QueryTextNumberField({ min: 0, max: 100, description: 'Only rows with churnRisk ≤ maxRisk' })
  readonly maxRisk?: string;

  @EnumField(HEALTH_SORTS, { optional: true, description: `A key, "-" first for descending; default ${DEFAULT_HEALTH_SORT}` })
  readonly sort?: string;

  @QueryTextNumberField({ min: 1, max: MAX_PAGE_SIZE, integer: true, default: DEFAULT_PAGE_SIZE })
  readonly limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same filters and sort' })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @IsString()
  @MaxLength(2_048)
  readonly cursor?: string;
}

export function toHealthListQuery(dto: HealthListQueryDto): HealthListQueryWithCurrency {
  const minRisk = numberOfQueryText(dto.minRisk);
  const maxRisk = numberOfQueryText(dto.maxRisk);
  if (minRisk !== undefined && maxRisk !== undefined && minRisk > maxRisk) {
    throw badQuery('minRisk', `minRisk (${minRisk}) must not be greater than maxRisk (${maxRisk})`);
  }
  const sort = dto.sort ?? DEFAULT_HEALTH_SORT;
  const descending = sort.startsWith('-');
  return {
    band: dto.band,
    managerId: dto.managerId,
    segment: dto.segment,
    status: dto.status,
    currency: dto.currency,
    minRisk,
    maxRisk,
    sort: { key: (descending ? sort.slice(1) : sort) as HealthSortKey, descending },
    limit: numberOfQueryText(dto.limit) ?? DEFAULT_PAGE_SIZE,
    cursor: dto.cursor,
  };
}
