import { accountIdOfStream } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';

/** A batch's events by account, each account's in log order; streams that are not accounts are left out. */
export function groupByAccount(events: readonly EventEnvelope[]): Map<string, EventEnvelope[]> {
  const byAccount = new Map<string, EventEnvelope[]>();
  for (const envelope of events) {
    const accountId = accountIdOfStream(envelope.streamId);
    if (accountId === null) continue;
    const envelopes = byAccount.get(accountId);
    if (envelopes === undefined) byAccount.set(accountId, [envelope]);
    else envelopes.push(envelope);
  }
  return byAccount;
}
