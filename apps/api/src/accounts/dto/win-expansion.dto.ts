import { TEXT_LIMITS } from '@ahe/events';
import { CommandDto } from './command.dto';
import { MoneyField, TextField } from './fields';

/** POST /v1/accounts/:accountId/expansions */
export class WinExpansionDto extends CommandDto {
  @MoneyField({ example: 300000 })
  readonly amount!: number;

  @TextField(TEXT_LIMITS.longText, { example: 'Analytics add-on' })
  readonly description!: string;
}
