import { Body, Controller, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountCommand } from '@ahe/domain';
import { principalOfRequest, Roles } from '@ahe/platform';
import { EscalationQueries } from '@ahe/read-models';
import { AccountWrites, type CommandResponse } from '../accounts/commands/account-writes';
import { CommandRoute } from '../accounts/controllers/command-route.decorator';
import { ReadModelUnavailableFilter } from '../queries/read-model-unavailable.filter';
import { AcknowledgeEscalationDto, EscalationCommandResponseDto, ResolveEscalationDto } from './dto/escalation-commands.dto';
import { EscalationIdParams } from './dto/escalation-id.params';
import { escalationNotFound } from './escalation-not-found';

export type EscalationCommandResponse = CommandResponse & { readonly escalationId: string };

/**
 * API.md "Escalations", the actions. The read model says which account holds the escalation;
 * the account's decider then decides, so an escalation already acknowledged or resolved is a 409
 * from the domain's rules, exactly as for an import or a worker.
 */
@ApiTags('escalations')
@Roles('writer')
@UseFilters(ReadModelUnavailableFilter)
@Controller('v1/escalations/:escalationId')
export class EscalationActionsController {
  constructor(
    @Inject(EscalationQueries) private readonly queries: EscalationQueries,
    @Inject(AccountWrites) private readonly writes: AccountWrites,
  ) {}

  @Post('acknowledgement')
  // Above CommandRoute: decorators apply bottom-up, so these replace its generic 201 and 404.
  @ApiCreatedResponse({ type: EscalationCommandResponseDto, description: 'Recorded; ETag and X-Revision carry the new revision' })
  @ApiNotFoundResponse({ description: 'No such escalation (or not projected yet)' })
  @CommandRoute('Acknowledge an open escalation (appends EscalationAcknowledged, by the calling key); 409 once acknowledged or resolved')
  acknowledge(
    @Param() { escalationId }: EscalationIdParams,
    @Body() { occurredAt, note }: AcknowledgeEscalationDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EscalationCommandResponse> {
    const by = principalOfRequest(request).actor;
    return this.send(escalationId, request, reply, occurredAt, {
      type: 'AcknowledgeEscalation',
      data: { escalationId, by, ...(note === undefined ? {} : { note }) },
    });
  }

  @Post('resolution')
  @ApiCreatedResponse({ type: EscalationCommandResponseDto, description: 'Recorded; ETag and X-Revision carry the new revision' })
  @ApiNotFoundResponse({ description: 'No such escalation (or not projected yet)' })
  @CommandRoute('Resolve an open or acknowledged escalation (appends EscalationResolved); 409 once resolved')
  resolve(
    @Param() { escalationId }: EscalationIdParams,
    @Body() { occurredAt, resolution }: ResolveEscalationDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EscalationCommandResponse> {
    return this.send(escalationId, request, reply, occurredAt, { type: 'ResolveEscalation', data: { escalationId, resolution } });
  }

  private async send(escalationId: string, request: FastifyRequest, reply: FastifyReply, occurredAt: string | undefined, command: AccountCommand): Promise<EscalationCommandResponse> {
    const escalation = await this.queries.get(escalationId);
    if (escalation === null) throw escalationNotFound(escalationId);
    const response = await this.writes.send(request, reply, () => ({ accountId: escalation.accountId, occurredAt, created: { escalationId }, command }));
    return response as EscalationCommandResponse;
  }
}
