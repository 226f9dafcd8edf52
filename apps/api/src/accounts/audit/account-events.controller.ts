import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { accountStreamId } from '@ahe/domain';
import type { EventEnvelope, EventStore } from '@ahe/event-store';
import { Roles, STORED_EVENT_STORE } from '@ahe/platform';
import { AuditRead } from '../../audit/trail';
import { existingAccountStream } from '../../audit/verify/existing-account-stream';
import { AccountIdParams } from '../dto/account-id.params';
import { AccountEventsQuery } from './account-events.query';

export interface AccountEventsPage {
  readonly items: readonly EventEnvelope[];
  /** Pass as fromRevision for the next page: the revision of the event after the last one returned; null when none follows. */
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
    const limit = query.limit ?? 100;
    const streamId = accountStreamId(accountId);
    // The log, not the head row, says what there is: one event past the page tells whether another follows.
    const read = await this.store.readStream(streamId, { fromRevision: query.fromRevision ?? 0, limit: limit + 1 });
    if (read.length === 0) await existingAccountStream(this.store, accountId);
    return { items: read.slice(0, limit), nextRevision: read.length > limit ? read[limit]!.revision : null };
  }
}
