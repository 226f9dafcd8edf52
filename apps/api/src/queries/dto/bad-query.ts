import { BadRequestException } from '@nestjs/common';
import { InvalidCursorError } from '@ahe/read-models';

/** A 400 in the shape StrictValidationPipe gives, for checks that span two parameters or need the data. */
export const badQuery = (field: string, message: string, code = 'VALIDATION_FAILED'): BadRequestException =>
  new BadRequestException({ message, code, field, details: [{ field, messages: [message] }] });

/** Inclusive YYYY-MM-DD bounds, already validated one by one; compared as text, which orders dates. */
export function assertDateRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw badQuery('from', `from (${from}) must not be after to (${to})`);
  }
}

/** A page read by `read`, a cursor it cannot follow answered as a bad query on cursor. */
export async function readPage<Read>(read: () => Promise<Read>): Promise<Read> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw badQuery('cursor', `cursor is not valid for this query: ${error.message}`, 'INVALID_CURSOR');
    }
    throw error;
  }
}
