import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from './command.dto';
import { TextField } from './fields';

/** POST /v1/accounts/:accountId/complaints/:complaintId/resolution */
export class ResolveComplaintDto extends CommandDto {
  @TextField(TEXT_LIMITS.longText, { example: 'Credit note issued' })
  readonly resolution!: string;
}
