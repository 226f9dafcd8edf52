import { ApiProperty } from '@nestjs/swagger';
import type { AccountState } from '@ahe/domain';
import type { TimeAxis } from '@ahe/read-models';
import { TIME_AXES } from '../../../analytics/dto/analytics-query-fields';

/** GET /v1/accounts/:accountId/state: the account folded up to an instant. */
export class AccountStateAsOfDto {
  @ApiProperty({ example: 'acme' }) readonly accountId!: string;
  @ApiProperty({ format: 'date-time', description: 'The instant replayed up to (inclusive)' }) readonly asOf!: string;
  @ApiProperty({ enum: TIME_AXES }) readonly axis!: TimeAxis;
  @ApiProperty({ description: 'Stream revision of the last event folded' }) readonly revision!: number;
  @ApiProperty({ description: 'Global position of that event' }) readonly position!: number;
  @ApiProperty({ description: 'Events of the stream at or before asOf on the axis' }) readonly eventsFolded!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The decider's AccountState: exists, closed, openedAt, closedAt, name, segment, managerId, currency, contract, "
      + 'renewalStatus, openComplaints, resolvedComplaintIds, invoices, escalations',
  })
  readonly state!: AccountState;
}
