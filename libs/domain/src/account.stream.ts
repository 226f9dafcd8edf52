const STREAM_PREFIX = 'account-';

/** Every account has one stream: `account-<accountId>`. */
export const accountStreamId = (accountId: string): string => `${STREAM_PREFIX}${accountId}`;

/** The account id of an `account-<accountId>` stream, or null for any other stream. */
export function accountIdOfStream(streamId: string): string | null {
  return streamId.startsWith(STREAM_PREFIX) && streamId.length > STREAM_PREFIX.length
    ? streamId.slice(STREAM_PREFIX.length)
    : null;
}
