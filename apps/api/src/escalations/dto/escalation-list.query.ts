import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, ValidateIf } from 'class-validator';
import { ESCALATION_RULES, type EscalationRule } from '@ahe/events';
import { DEFAULT_ESCALATION_PAGE_SIZE, ESCALATION_STATUSES, MAX_ESCALATION_PAGE_SIZE, type EscalationListQuery, type EscalationStatus } from '@ahe/read-models';
import { EnumField, IdField } from '../../accounts/dto/fields';
import { QueryNumberField } from '../../queries/dto/query-fields';

/** GET /v1/escalations: filters and paging of the escalations rows, newest first. */
export class EscalationListQueryDto {
  @EnumField(ESCALATION_STATUSES, { optional: true, description: 'Only escalations in this state; all when absent' })
  readonly status?: EscalationStatus;

  @IdField({ optional: true, example: 'acme' })
  readonly accountId?: string;

  @EnumField(ESCALATION_RULES, { optional: true, description: 'Only escalations opened by this rule' })
  readonly rule?: EscalationRule;

  @IdField({ optional: true, example: 'mgr-7', description: "The account's current manager" })
  readonly managerId?: string;

  @QueryNumberField({ min: 1, max: MAX_ESCALATION_PAGE_SIZE, integer: true, default: DEFAULT_ESCALATION_PAGE_SIZE })
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page, with the same filters' })
  @ValidateIf((_query: object, value: unknown) => value !== undefined)
  @IsString()
  @MaxLength(2_048)
  readonly cursor?: string;
}

export const toEscalationListQuery = (dto: EscalationListQueryDto): EscalationListQuery => ({
  status: dto.status,
  accountId: dto.accountId,
  rule: dto.rule,
  managerId: dto.managerId,
  limit: dto.limit ?? DEFAULT_ESCALATION_PAGE_SIZE,
  cursor: dto.cursor,
});
