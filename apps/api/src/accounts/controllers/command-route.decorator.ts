import { applyDecorators, HttpCode, HttpStatus } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { CommandResponseDto } from '../dto/command-response.dto';

/**
 * Status and OpenAPI description shared by every command route: API.md has every command,
 * the PUT of a manager included, answer 201 with the new revision.
 */
export const CommandRoute = (summary: string) =>
  applyDecorators(
    HttpCode(HttpStatus.CREATED),
    ApiOperation({ summary }),
    ApiCreatedResponse({ type: CommandResponseDto, description: 'Recorded; ETag and X-Revision carry the new revision' }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Same key and body within 24 h → the first response again (Idempotent-Replay: true), nothing appended; other body → 409',
    }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The revision this change is based on; 409 when the account has moved on' }),
    ApiBadRequestResponse({ description: 'Invalid input; message and field name the field' }),
    ApiNotFoundResponse({ description: 'No such account' }),
    ApiConflictResponse({ description: 'If-Match mismatch, a broken rule of the domain, or an Idempotency-Key reused for another request' }),
    ApiPayloadTooLargeResponse({ description: 'Body over BODY_LIMIT_BYTES' }),
    ApiTooManyRequestsResponse({ description: 'Over RATE_LIMIT_PER_MINUTE for this key; see Retry-After' }),
  );
