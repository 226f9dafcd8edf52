import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '@ahe/platform';
import { AccountWrites, type CommandResponse } from '../commands/account-writes';
import { AccountIdParams } from '../dto/account-id.params';
import { LogContactDto } from '../dto/log-contact.dto';
import { RecordSurveyDto } from '../dto/record-survey.dto';
import { CommandRoute } from './command-route.decorator';

/** Touchpoints and survey answers: what the account's satisfaction is read from. */
@ApiTags('commands')
@Roles('writer')
@Controller('v1/accounts/:accountId')
export class EngagementController {
  constructor(@Inject(AccountWrites) private readonly writes: AccountWrites) {}

  @Post('contacts')
  @CommandRoute('Log a contact (call, email, meeting, chat, other)')
  logContact(
    @Param() { accountId }: AccountIdParams,
    @Body() { occurredAt, ...data }: LogContactDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({ accountId, occurredAt, command: { type: 'LogContact', data } }));
  }

  @Post('surveys')
  @CommandRoute('Record a survey answer: csat 1–5 or nps 0–10')
  recordSurvey(
    @Param() { accountId }: AccountIdParams,
    @Body() { occurredAt, ...data }: RecordSurveyDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse> {
    return this.writes.send(request, reply, () => ({ accountId, occurredAt, command: { type: 'RecordSurvey', data } }));
  }
}
