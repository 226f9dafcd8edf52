import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountCommandOf } from '@ahe/domain';
import { Roles } from '@ahe/platform';
import { AccountWrites, type CommandResponse } from '../commands/account-writes';
import { AccountIdParams } from '../dto/account-id.params';
import { RecordRenewalDto } from '../dto/record-renewal.dto';
import { WinExpansionDto } from '../dto/win-expansion.dto';
import { CommandRoute } from './command-route.decorator';

/** Renewals and expansions: what the account's contract value is made of. */
@ApiTags('commands')
@Roles('writer')
@Controller('v1/accounts/:accountId')
export class CommercialController {
  constructor(@Inject(AccountWrites) private readonly writes: AccountWrites) {}

  @Post('renewals')
  @CommandRoute('Record a renewal decision: won (endsOn, annualValue) or lost (reason)')
  recordRenewal(
    @Param() { accountId }: AccountIdParams,
    @Body() { occurredAt, ...data }: RecordRenewalDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    // The DTO checked that the fields fit the outcome; the decider's schemas check it again.
    const renewal = data as AccountCommandOf<'RecordRenewal'>['data'];
    return this.writes.send(request, reply, () => ({ accountId, occurredAt, command: { type: 'RecordRenewal', data: renewal } }));
  }

  @Post('expansions')
  @CommandRoute('Record an upsell or cross-sell')
  winExpansion(
    @Param() { accountId }: AccountIdParams,
    @Body() { occurredAt, ...data }: WinExpansionDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({ accountId, occurredAt, command: { type: 'WinExpansion', data } }));
  }
}
