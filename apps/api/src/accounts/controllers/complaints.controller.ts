import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@ahe/platform';
import { AccountWrites, type CommandResponse } from '../commands/account-writes';
import { AccountIdParams, ComplaintParams } from '../dto/account-id.params';
import { RaiseComplaintDto } from '../dto/raise-complaint.dto';
import { ResolveComplaintDto } from '../dto/resolve-complaint.dto';
import { CommandRoute } from './command-route.decorator';

@ApiTags('commands')
@Roles('writer')
@Controller('v1/accounts/:accountId/complaints')
export class ComplaintsController {
  constructor(@Inject(AccountWrites) private readonly writes: AccountWrites) {}

  @Post()
  @CommandRoute('Raise a complaint; complaintId is generated when omitted, slaDueAt defaults by severity')
  raise(
    @Param() { accountId }: AccountIdParams,
    @Body() body: RaiseComplaintDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, (newId) => {
      const { occurredAt, complaintId = newId('complaintId'), ...data } = body;
      return { accountId, occurredAt, created: { complaintId }, command: { type: 'RaiseComplaint', data: { complaintId, ...data } } };
    });
  }

  @Post(':complaintId/resolution')
  @CommandRoute('Resolve an open complaint')
  resolve(
    @Param() { accountId, complaintId }: ComplaintParams,
    @Body() { occurredAt, ...data }: ResolveComplaintDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({
      accountId,
      occurredAt,
      command: { type: 'ResolveComplaint', data: { complaintId, ...data } },
    }));
  }
}
