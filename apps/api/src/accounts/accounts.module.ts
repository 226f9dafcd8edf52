import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AccountEventsController } from './audit/account-events.controller';
import { AccountCommandHandler } from './commands/account-command.handler';
import { AccountWrites } from './commands/account-writes';
import { Clock, SystemClock } from './commands/clock';
import { AccountsController } from './controllers/accounts.controller';
import { CommercialController } from './controllers/commercial.controller';
import { ComplaintsController } from './controllers/complaints.controller';
import { EngagementController } from './controllers/engagement.controller';
import { InvoicesController } from './controllers/invoices.controller';

/** The write side of API.md "Commands", and the account's event history for auditors. */
@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [
    AccountsController,
    EngagementController,
    ComplaintsController,
    InvoicesController,
    CommercialController,
    AccountEventsController,
  ],
  providers: [AccountCommandHandler, AccountWrites, { provide: Clock, useClass: SystemClock }],
  exports: [Clock],
})
export class AccountsModule {}
