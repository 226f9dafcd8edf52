import { CommandDto } from './command.dto';
import { MoneyField } from './fields';

/** POST /v1/accounts/:accountId/invoices/:invoiceId/payments; partial payments allowed. */
export class RecordPaymentDto extends CommandDto {
  @MoneyField({ example: 50000 })
  readonly amount!: number;
}
