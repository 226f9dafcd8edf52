import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { TEXT_LIMITS } from '@ahe/events';
import { BANDS, HEALTH_SORT_KEYS, type Band, type HealthListQuery, type HealthSortKey } from '@ahe/read-models';
import { EnumField, IdField, TextField } from '../../accounts/dto/fields';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, QueryNumberField } from './query-fields';
import { badQuery } from './bad-query';

export const HEALTH_SORTS: readonly string[] = HEALTH_SORT_KEYS.flatMap((key) => [key, `-${key}`]);
export const DEFAULT_HEALTH_SORT = '-churnRisk';
export const ACCOUNT_STATUSES = ['open', 'closed'] as const;

/** GET /v1/health: filters, order and paging of the account_health rows. */
export class HealthListQueryDto {
  @EnumField(BANDS, { optional: true })
  readonly band?: Band;

  @IdField({ optional: true, example: 'mgr-7' })
  readonly managerId?: string;

  @TextField(TEXT_LIMITS.label, { optional: true, example: 'enterprise' })
  readonly segment?: string;

  @EnumField(ACCOUNT_STATUSES, { optional: true, description: 'open or closed accounts only; both when absent' })
  readonly status?: (typeof ACCOUNT_STATUSES)[number];

  @QueryNumberField({ min: 0, max: 100, description: 'Only rows with churnRisk ≥ minRisk' })
  readonly minRisk?: number;

  @QueryNumberField({ min: 0, max: 100, description: 'Only rows with churnRisk ≤ maxRisk' })
  readonly maxRisk?: number;

  @EnumField(HEALTH_SORTS, { optional: true, description: `A key, "-" first for descending; default ${DEFAULT_HEALTH_SORT}` })
  readonly sort?: string;

  @QueryNumberField({ min: 1, max: MAX_PAGE_SIZE, integer: true, default: DEFAULT_PAGE_SIZE })
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same filters and sort' })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @IsString()
  @MaxLength(2_048)
  readonly cursor?: string;
}

export function toHealthListQuery(dto: HealthListQueryDto): HealthListQuery {
  if (dto.minRisk !== undefined && dto.maxRisk !== undefined && dto.minRisk > dto.maxRisk) {
    throw badQuery('minRisk', `minRisk (${dto.minRisk}) must not be greater than maxRisk (${dto.maxRisk})`);
  }
  const sort = dto.sort ?? DEFAULT_HEALTH_SORT;
  const descending = sort.startsWith('-');
  return {
    band: dto.band,
    managerId: dto.managerId,
    segment: dto.segment,
    status: dto.status,
    minRisk: dto.minRisk,
    maxRisk: dto.maxRisk,
    sort: { key: (descending ? sort.slice(1) : sort) as HealthSortKey, descending },
    limit: dto.limit ?? DEFAULT_PAGE_SIZE,
    cursor: dto.cursor,
  };
}
