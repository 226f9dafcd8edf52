import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ahe/platform';
import { AccountIdParams } from '../../accounts/dto/account-id.params';
import { AuditRead } from '../trail';
import { AccountAsOfReader } from './account-as-of.reader';
import { AccountStateAsOfDto } from './dto/account-state-as-of.dto';
import { asOfInstantOf, AsOfQueryDto } from './dto/as-of.query';

/** API.md "Audit": GET /v1/accounts/:accountId/state?asOf=&axis=. */
@ApiTags('audit')
@Roles('auditor')
@AuditRead()
@Controller('v1/accounts/:accountId/state')
export class AccountStateController {
  constructor(@Inject(AccountAsOfReader) private readonly reader: AccountAsOfReader) {}

  @Get()
  @ApiOperation({ summary: "The account's state folded from its events at or before asOf (default now) on the axis (default occurred)" })
  @ApiOkResponse({ type: AccountStateAsOfDto })
  @ApiBadRequestResponse({ description: 'A bad or future asOf, a bad axis, or an unknown parameter; field names it' })
  @ApiNotFoundResponse({ description: 'No such account (ACCOUNT_NOT_FOUND), or not opened yet at asOf on the axis (ACCOUNT_NOT_YET_OPENED)' })
  @ApiConflictResponse({ description: 'The stream cannot be replayed: a revision is missing, the log ends before its head, or an event precedes its opening (STREAM_BROKEN, details.revision); see /verify' })
  async state(@Param() { accountId }: AccountIdParams, @Query() query: AsOfQueryDto): Promise<AccountStateAsOfDto> {
    const asOf = asOfInstantOf(query, new Date());
    const { facts, eventsFolded } = await this.reader.account(accountId, asOf);
    return {
      accountId,
      asOf: asOf.at.toISOString(),
      axis: asOf.axis,
      revision: facts.revision,
      position: facts.position,
      eventsFolded,
      state: facts.state,
    };
  }
}
