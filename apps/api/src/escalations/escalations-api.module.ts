import { Module } from '@nestjs/common';
import type { SqlClient } from '@ahe/database';
import { SQL_CLIENT } from '@ahe/platform';
import { EscalationQueries } from '@ahe/read-models';
import { AccountWrites } from '../accounts/commands/account-writes';
import { EscalationActionsController } from './escalation-actions.controller';
import { EscalationsController } from './escalations.controller';

/**
 * API.md "Escalations": analysts read the escalations read model, writers acknowledge and
 * resolve. Writes go over the CommandBus to the account command handler, which AccountsModule
 * registers (CqrsModule is global): this module runs beside it in the http role.
 */
@Module({
  controllers: [EscalationsController, EscalationActionsController],
  providers: [
    { provide: EscalationQueries, inject: [SQL_CLIENT], useFactory: (sql: SqlClient) => new EscalationQueries(sql) },
    AccountWrites,
  ],
})
export class EscalationsApiModule {}
