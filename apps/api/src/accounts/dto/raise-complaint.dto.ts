import { SEVERITIES, TEXT_LIMITS, type Severity } from '@ahe/events';
import { CommandDto } from './command.dto';
import { EnumField, IdField, TextField, TimestampField } from './fields';

/** POST /v1/accounts/:accountId/complaints */
export class RaiseComplaintDto extends CommandDto {
  @IdField({ optional: true, description: 'Generated (a UUID) when omitted' })
  readonly complaintId?: string;

  @EnumField(SEVERITIES)
  readonly severity!: Severity;

  @TextField(TEXT_LIMITS.label, { example: 'billing' })
  readonly category!: string;

  @TextField(TEXT_LIMITS.longText)
  readonly description!: string;

  @TimestampField({ optional: true, description: 'Resolution deadline; default occurredAt plus 4 h (critical), 24 h (high), 72 h (medium), 168 h (low)' })
  readonly slaDueAt?: string;
}
