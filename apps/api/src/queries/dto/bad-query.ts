import { BadRequestException } from '@nestjs/common';

/** A 400 in the shape StrictValidationPipe gives, for checks that span two parameters or need the data. */
export const badQuery = (field: string, message: string, code = 'VALIDATION_FAILED'): BadRequestException =>
  new BadRequestException({ message, code, field, details: [{ field, messages: [message] }] });

/** Inclusive YYYY-MM-DD bounds, already validated one by one; compared as text, which orders dates. */
export function assertDateRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw badQuery('from', `from (${from}) must not be after to (${to})`);
  }
}
