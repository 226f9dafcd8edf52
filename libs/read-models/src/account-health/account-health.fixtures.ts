import { currentSchemaVersion, type AccountEvent } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import { evolveHealthFacts, initialHealthFacts, type AccountHealthFacts } from './account-health.facts';

/** An event of an account's history, as a spec writes it. */
export type HistoryEvent = AccountEvent & { readonly occurredAt: string };

/** Envelopes for one account's stream, revisions from 0, recorded when they occurred. */
export function accountEnvelopes(accountId: string, events: readonly HistoryEvent[], firstPosition = 1): EventEnvelope[] {
  return events.map((event, revision) => ({
    eventId: `${accountId}-${revision}`,
    type: event.type,
    schemaVersion: currentSchemaVersion(event.type),
    streamId: `account-${accountId}`,
    revision,
    globalPosition: firstPosition + revision,
    occurredAt: event.occurredAt,
    recordedAt: event.occurredAt,
    data: event.data,
    metadata: { hash: '', previousHash: '' },
  }));
}

export function healthFactsOf(accountId: string, events: readonly HistoryEvent[]): AccountHealthFacts {
  return accountEnvelopes(accountId, events).reduce((facts, envelope) => evolveHealthFacts(facts, envelope), initialHealthFacts(accountId));
}

export const opened = (occurredAt: string, contract?: { startsOn: string; endsOn: string; annualValue: number }): HistoryEvent => ({
  type: 'AccountOpened',
  occurredAt,
  data: { name: 'Acme', segment: 'smb', managerId: 'mgr-1', currency: 'EUR', ...(contract === undefined ? {} : { contract }) },
});
