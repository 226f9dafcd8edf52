import { Readable } from 'node:stream';
import {
  BadRequestException, ConflictException, Controller, HttpCode, Inject, Post, Req, UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { EventStore } from '@ahe/event-store';
import { ImportConflictError, importNdjson, InvalidImportLineError } from '@ahe/import';
import { EVENT_STORE, Roles } from '@ahe/platform';
import { IMPORT_BODY_LIMIT } from './import-body-limit';
import { importBodyStream, NDJSON_CONTENT_TYPE, receivedBody } from './ndjson-body.parser';

export interface ImportResponse {
  readonly importId: string;
  readonly lines: number;
  readonly events: number;
  readonly accounts: number;
}

@ApiTags('import')
@Roles('admin')
@Controller('v1/import')
export class ImportController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IMPORT_BODY_LIMIT) private readonly limitBytes: number,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiConsumes(NDJSON_CONTENT_TYPE)
  @ApiBody({ description: 'One { "streamId"?, "accountId", "type", "data", "occurredAt" } per line; gzip accepted' })
  @ApiOkResponse({ description: '{ importId, lines, events, accounts }: every line was valid and is appended' })
  async importEvents(@Req() request: FastifyRequest): Promise<ImportResponse> {
    const payload = request.body;
    if (!(payload instanceof Readable)) {
      throw new UnsupportedMediaTypeException(`POST /v1/import takes Content-Type: ${NDJSON_CONTENT_TYPE}, one event per line`);
    }
    try {
      const body = await receivedBody(importBodyStream(payload, request.headers, this.limitBytes));
      const result = await importNdjson(this.store, body, { actor: 'api', importId: String(request.id) });
      return { importId: result.importId, lines: result.lines, events: result.events, accounts: result.accounts };
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
