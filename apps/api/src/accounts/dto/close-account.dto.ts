import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from './command.dto';
import { TextField } from './fields';

/** POST /v1/accounts/:accountId/closure */
export class CloseAccountDto extends CommandDto {
  @TextField(TEXT_LIMITS.reason, { example: 'Customer acquired by a competitor' })
  readonly reason!: string;
}
