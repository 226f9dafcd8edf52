import { CommandDto } from './command.dto';
import { IdField } from './fields';

/** PUT /v1/accounts/:accountId/manager */
export class AssignManagerDto extends CommandDto {
  @IdField({ description: 'The new account manager', example: 'mgr-9' })
  readonly managerId!: string;
}
