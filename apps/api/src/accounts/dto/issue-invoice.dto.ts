import { CommandDto } from './command.dto';
import { DateField, IdField, MoneyField } from './fields';

/** POST /v1/accounts/:accountId/invoices */
export class IssueInvoiceDto extends CommandDto {
  @IdField({ optional: true, description: 'Generated (a UUID) when omitted' })
  readonly invoiceId?: string;

  @MoneyField({ example: 125000 })
  readonly amount!: number;

  @DateField({ description: 'Last day on which payment is on time' })
  readonly dueOn!: string;
}
