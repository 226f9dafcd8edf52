import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import { knownErrorBody, type ErrorBody } from './known-errors';

export type { ErrorBody } from './known-errors';

export interface MappedError {
  readonly body: ErrorBody;
  /** A fault of ours rather than of the request: log it with its stack. */
  readonly unexpected: boolean;
}

const UNEXPECTED_MESSAGE = "An unexpected error occurred; it was logged under this request's X-Correlation-Id";

export function toErrorBody(exception: unknown): MappedError {
  if (exception instanceof HttpException) return { body: fromHttpException(exception), unexpected: false };
  const known = knownErrorBody(exception);
  if (known) return { body: known, unexpected: false };
  const status = clientErrorStatusOf(exception);
  if (status !== undefined) {
    const message = exposedMessageOf(exception) ?? STATUS_CODES[status] ?? 'Bad request';
    return { body: { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message }, unexpected: false };
  }
  const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
  return { body: { statusCode, error: STATUS_CODES[statusCode]!, message: UNEXPECTED_MESSAGE }, unexpected: true };
}

function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const error = STATUS_CODES[statusCode] ?? 'Error';
  const response = exception.getResponse();
  if (typeof response === 'string') return { statusCode, error, message: response };
  const { message, error: label, details, code, field } = response as {
    message?: unknown; error?: unknown; details?: unknown; code?: unknown; field?: unknown;
  };
  // class-validator reports one message per broken rule: the first names the field, all go in details.
  const messages = Array.isArray(message) ? message.map(String) : undefined;
  return {
    statusCode,
    error: typeof label === 'string' ? label : error,
    message: messages ? messages.join('; ') : typeof message === 'string' ? message : exception.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof field === 'string' ? { field } : {}),
    ...(details !== undefined ? { details } : messages ? { details: { messages } } : {}),
  };
}

/** Errors from Fastify or its plugins that carry a 4xx status: the request's fault, never a 500. */
function clientErrorStatusOf(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { statusCode, status } = exception as { statusCode?: unknown; status?: unknown };
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 500 ? code : undefined;
}

function exposedMessageOf(exception: unknown): string | undefined {
  const { message, expose } = exception as { message?: unknown; expose?: unknown };
  return expose !== false && typeof message === 'string' && message !== '' ? message : undefined;
}
