import { BadRequestException } from '@nestjs/common';

/**
 * `If-Match: <revision>` as the expected revision; `"5"` and `W/"5"` (the ETag we send back)
 * are accepted too. Undefined without the header; 400 when it names no revision.
 */
export function expectedRevisionOf(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const match = typeof raw === 'string' ? /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw) : null;
  if (!match) {
    throw new BadRequestException({
      message: 'If-Match must be the revision the change is based on, an integer ≥ 0 such as 5 or the ETag "5"',
      code: 'INVALID_IF_MATCH',
      field: 'If-Match',
    });
  }
  return Number(match[1]);
}

/** The headers of a successful write: the account's new revision, as ETag and as a number. */
export function revisionHeaders(revision: number): Record<string, string> {
  return { ETag: `"${revision}"`, 'X-Revision': String(revision) };
}
