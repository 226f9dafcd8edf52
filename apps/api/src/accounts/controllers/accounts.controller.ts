import { Body, Controller, Inject, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@ahe/platform';
import { AccountWrites, type CommandResponse } from '../commands/account-writes';
import { AccountIdParams } from '../dto/account-id.params';
import { AssignManagerDto } from '../dto/assign-manager.dto';
import { CloseAccountDto } from '../dto/close-account.dto';
import { OpenAccountDto } from '../dto/open-account.dto';
import { CommandRoute } from './command-route.decorator';

@ApiTags('commands')
@Roles('writer')
@Controller('v1/accounts')
export class AccountsController {
  constructor(@Inject(AccountWrites) private readonly writes: AccountWrites) {}

  @Post()
  @CommandRoute('Open an account (its first event); accountId is generated when omitted')
  open(@Body() body: OpenAccountDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CommandResponse> {
    return this.writes.send(request, reply, (newId) => {
      const { occurredAt, accountId = newId('accountId'), ...data } = body;
      return { accountId, occurredAt, command: { type: 'OpenAccount', data: { accountId, ...data } } };
    });
  }

  @Put(':accountId/manager')
  @CommandRoute('Assign a new account manager')
  assignManager(
    @Param() { accountId }: AccountIdParams,
    @Body() { occurredAt, ...data }: AssignManagerDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({ accountId, occurredAt, command: { type: 'AssignManager', data } }));
  }

  @Post(':accountId/closure')
  @CommandRoute('Close the account; it becomes read-only')
  close(
    @Param() { accountId }: AccountIdParams,
    @Body() { occurredAt, ...data }: CloseAccountDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({ accountId, occurredAt, command: { type: 'CloseAccount', data } }));
  }
}
