import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountNotFoundError, accountStreamId } from '@ahe/domain';
import type { EventEnvelope, EventStore } from '@ahe/event-store';
import { Roles, STORED_EVENT_STORE } from '@ahe/platform';
import { AuditRead } from '../../audit/trail';
import { AccountIdParams } from '../dto/account-id.params';
import { AccountEventsQuery } from './account-events.query';

export interface AccountEventsPage {
  readonly items: readonly EventEnvelope[];
  /** Pass as fromRevision for the next page; null once the last event has been returned. */
  readonly nextRevision: number | null;
}

@ApiTags('audit')
@Roles('auditor', 'analyst')
@AuditRead()
@Controller('v1/accounts/:accountId/events')
export class AccountEventsController {
  // As stored: an auditor sees each event's own schema version and the payload its hash covers.
  constructor(@Inject(STORED_EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({ summary: "The account's events as recorded (envelopes with hashes), in revision order, paged" })
  @ApiOkResponse({ description: '{ items, nextRevision }' })
  @ApiNotFoundResponse({ description: 'No such account' })
  async list(@Param() { accountId }: AccountIdParams, @Query() query: AccountEventsQuery): Promise<AccountEventsPage> {
    const streamId = accountStreamId(accountId);
    const head = await this.store.streamRevision(streamId);
    if (head === -1) throw new AccountNotFoundError(accountId);
    const fromRevision = query.fromRevision ?? 0;
    const items = fromRevision > head ? [] : await this.store.readStream(streamId, { fromRevision, limit: query.limit ?? 100 });
    const last = items.at(-1)?.revision;
    return { items, nextRevision: last !== undefined && last < head ? last + 1 : null };
  }
}
