import { Readable } from 'node:stream';
import {
  BadRequestException, ConflictException, Controller, HttpCode, Inject, Post, Req, Res, UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventStore } from '@ahe/event-store';
import { ImportConflictError, importNdjson, InvalidImportLineError, type ImportResult } from '@ahe/import';
import {
  EVENT_STORE, IdempotencyService, idempotencyKeyOf, IDEMPOTENT_REPLAY_HEADER, principalOfRequest, Roles, type KeyClaim, type StoredResponse,
} from '@ahe/platform';
import { IMPORT_BODY_LIMIT } from './import-body-limit';
import { IMPORT_METRICS, type ImportMetrics } from './import-metrics';
import { importBodyStream, NDJSON_CONTENT_TYPE, receivedPieces, sha256Of } from './ndjson-body.parser';

export interface ImportResponse {
  readonly importId: string;
  readonly lines: number;
  readonly events: number;
  readonly accounts: number;
}

function answerOf(result: ImportResult): StoredResponse {
  return { status: 200, body: { importId: result.importId, lines: result.lines, events: result.events, accounts: result.accounts } satisfies ImportResponse };
}

@ApiTags('import')
@Roles('admin')
@Controller('v1/import')
export class ImportController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IMPORT_BODY_LIMIT) private readonly limitBytes: number,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(IMPORT_METRICS) private readonly metrics: ImportMetrics,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiConsumes(NDJSON_CONTENT_TYPE)
  @ApiBody({ description: 'One { "streamId"?, "accountId", "type", "data", "occurredAt" } per line; gzip accepted' })
  @ApiOkResponse({ description: '{ importId, lines, events, accounts }: every line was valid and is appended' })
  @ApiHeader({
    name: 'Idempotency-Key', required: false,
    description: 'The same key with the same body (after gunzip) answers the first import again and appends nothing; with another body, 409',
  })
  async importEvents(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<ImportResponse> {
    const payload = request.body;
    if (!(payload instanceof Readable)) {
      throw new UnsupportedMediaTypeException(`POST /v1/import takes Content-Type: ${NDJSON_CONTENT_TYPE}, one event per line`);
    }
    try {
      const key = idempotencyKeyOf(request.headers);
      const pieces = await receivedPieces(importBodyStream(payload, request.headers, this.limitBytes));
      const run = async (claim?: KeyClaim): Promise<StoredResponse> => {
        const result = await this.metrics.counted(() =>
          importNdjson(this.store, Readable.from(pieces, { objectMode: false }), {
            actor: 'api',
            importId: String(request.id),
            // The key's answer commits with the events: a retry after a lost COMMIT reply replays it.
            ...(claim ? { commitWith: (imported: ImportResult) => claim.answer(answerOf(imported)) } : {}),
          }),
        );
        return answerOf(result);
      };
      if (key === undefined) return (await run()).body as ImportResponse;
      const identity = principalOfRequest(request).keyId;
      const keyed = { key, identity, method: request.method, path: request.url, body: { sha256: sha256Of(pieces) } };
      // Claimed first: another api process must not import the same body while this one does.
      const outcome = await this.idempotency.execute(keyed, run, { claimFirst: true });
      if (outcome.replayed) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
      return outcome.body as ImportResponse;
    } catch (error) {
      if (error instanceof InvalidImportLineError) {
        throw new BadRequestException({
          message: `Import refused, nothing was appended: ${error.message}`, code: error.code, field: error.field, details: error.toDetails(),
        });
      }
      if (error instanceof ImportConflictError) {
        throw new ConflictException({ message: error.message, code: error.code, details: error.toDetails() });
      }
      throw error;
    } finally {
      // A refused import stops reading; drain the rest so the client gets the answer cleanly.
      if (!payload.readableEnded) payload.unpipe().resume();
    }
  }
}
