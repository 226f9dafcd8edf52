import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ahe/event-store';
import { EVENT_STORE, Roles } from '@ahe/platform';
import { AccountIdParams } from '../../accounts/dto/account-id.params';
import { NoQueryParamsPipe } from '../../queries/dto/no-query.pipe';
import { AuditRead } from '../trail/audit-read.decorator';
import { ChainVerificationDto } from './chain-verification.dto';
import { existingAccountStream } from './existing-account-stream';

/** API.md "Audit": the tamper check of one account's stream. */
@ApiTags('audit')
@Roles('auditor')
@AuditRead()
@Controller('v1/accounts/:accountId/verify')
export class AccountVerifyController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({
    summary: "Walks the account's hash chain as of its head when the walk began and names the first revision whose stored content, " +
      'link or position was changed behind the engine’s back',
  })
  @ApiOkResponse({ type: ChainVerificationDto, description: 'ok false is still a 200: the check ran and found a break' })
  @ApiBadRequestResponse({ description: 'A malformed account id or an unknown query parameter' })
  @ApiNotFoundResponse({ description: 'No such account' })
  async verify(@Param() { accountId }: AccountIdParams, @Query(NoQueryParamsPipe) _query: unknown): Promise<ChainVerificationDto> {
    const { streamId } = await existingAccountStream(this.store, accountId);
    const result = await this.store.verifyStream(streamId);
    if (result.ok) return { ok: true, checked: result.checked };
    return { ok: false, checked: result.checked, brokenAt: result.brokenAt, ...(result.reason === undefined ? {} : { reason: result.reason }) };
  }
}
