import { Controller, Get, Inject, Logger, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { EventStore } from '@ahe/event-store';
import { Roles, STORED_EVENT_STORE } from '@ahe/platform';
import { AccountIdParams } from '../../accounts/dto/account-id.params';
import { NoQueryParamsPipe } from '../../queries/dto/no-query.pipe';
import { AuditRead } from '../trail/audit-read.decorator';
import { existingAccountStream } from '../verify/existing-account-stream';
import { ndjsonExport } from './ndjson-export';

/** The last revision the export holds: a client that got fewer lines knows it was cut short. */
export const LAST_REVISION_HEADER = 'x-export-last-revision';

/** API.md "Audit": every envelope of an account, streamed as NDJSON. */
@ApiTags('audit')
@Roles('auditor')
@AuditRead()
@Controller('v1/accounts/:accountId/export')
export class AccountExportController {
  private readonly logger = new Logger('AuditExport');

  // As stored: an auditor sees each event's own schema version and the payload its hash covers.
  constructor(@Inject(STORED_EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiOperation({
    summary: 'Every envelope of the account (with hashes), one JSON object a line in revision order, streamed as an attachment. ' +
      `${LAST_REVISION_HEADER} names the last revision; a response cut short by a failure ends without its final chunk.`,
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'NDJSON, one envelope a line', schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'A malformed account id or an unknown query parameter' })
  @ApiNotFoundResponse({ description: 'No such account' })
  async export(
    @Param() { accountId }: AccountIdParams,
    @Query(NoQueryParamsPipe) _query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { streamId, head } = await existingAccountStream(this.store, accountId);
    const body = await ndjsonExport(this.store, { streamId, lastRevision: head >= 0 ? head : undefined }, (error, sent) => {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`Export of ${streamId} cut short after ${sent.events} events (last revision ${sent.lastRevision ?? 'none'}): ${message}`);
    });
    if (head >= 0) reply.header(LAST_REVISION_HEADER, String(head));
    reply.header('cache-control', 'no-store');
    // The account id is [A-Za-z0-9_-]{1,64} (validated above): safe in a quoted filename.
    return new StreamableFile(body, { type: 'application/x-ndjson', disposition: `attachment; filename="${accountId}-events.ndjson"` });
  }
}
