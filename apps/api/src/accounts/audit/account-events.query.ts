import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

export const MAX_EVENTS_PAGE = 10_000;

export class AccountEventsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'First revision to return (inclusive)' })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(0)
  readonly fromRevision?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100 })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_PAGE)
  readonly limit?: number;
}
