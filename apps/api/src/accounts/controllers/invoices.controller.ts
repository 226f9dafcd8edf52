import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@ahe/platform';
import { AccountWrites, type CommandResponse } from '../commands/account-writes';
import { AccountIdParams, InvoiceParams } from '../dto/account-id.params';
import { IssueInvoiceDto } from '../dto/issue-invoice.dto';
import { RecordPaymentDto } from '../dto/record-payment.dto';
import { CommandRoute } from './command-route.decorator';

@ApiTags('commands')
@Roles('writer')
@Controller('v1/accounts/:accountId/invoices')
export class InvoicesController {
  constructor(@Inject(AccountWrites) private readonly writes: AccountWrites) {}

  @Post()
  @CommandRoute('Issue an invoice; invoiceId is generated when omitted')
  issue(
    @Param() { accountId }: AccountIdParams,
    @Body() body: IssueInvoiceDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, (newId) => {
      const { occurredAt, invoiceId = newId('invoiceId'), ...data } = body;
      return { accountId, occurredAt, created: { invoiceId }, command: { type: 'IssueInvoice', data: { invoiceId, ...data } } };
    });
  }

  @Post(':invoiceId/payments')
  @CommandRoute('Record a payment (partial payments allowed; never more than is outstanding)')
  pay(
    @Param() { accountId, invoiceId }: InvoiceParams,
    @Body() { occurredAt, ...data }: RecordPaymentDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({
      accountId,
      occurredAt,
      command: { type: 'RecordPayment', data: { invoiceId, ...data } },
    }));
  }
}
