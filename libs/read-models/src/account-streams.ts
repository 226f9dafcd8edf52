import { accountIdOfStream } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';

/**
 * A batch's events by account, each account's in log order; streams that are not accounts are
 * left out. Grouped by stream first: one account id per stream rather than one per event.
 */
export function groupByAccount(events: readonly EventEnvelope[]): Map<string, EventEnvelope[]> {
  const byStream = new Map<string, EventEnvelope[]>();
  for (const envelope of events) {
    const envelopes = byStream.get(envelope.streamId);
    if (envelopes === undefined) byStream.set(envelope.streamId, [envelope]);
    else envelopes.push(envelope);
  }
  const byAccount = new Map<string, EventEnvelope[]>();
  for (const [streamId, envelopes] of byStream) {
    const accountId = accountIdOfStream(streamId);
    if (accountId !== null) byAccount.set(accountId, envelopes);
  }
  return byAccount;
}
