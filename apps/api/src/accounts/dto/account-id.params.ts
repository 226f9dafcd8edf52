import { IdField } from './fields';

export class AccountIdParams {
  @IdField({ example: 'acme' })
  readonly accountId!: string;
}

export class ComplaintParams extends AccountIdParams {
  @IdField()
  readonly complaintId!: string;
}

export class InvoiceParams extends AccountIdParams {
  @IdField()
  readonly invoiceId!: string;
}
