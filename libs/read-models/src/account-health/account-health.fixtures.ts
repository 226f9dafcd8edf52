import { currentSchemaVersion, type AccountEvent } from '@ahe/events';
import type { EventEnvelope } from '@ahe/event-store';
import type { LtvModels } from '../ltv';
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

/**
 * A fit as the ltv_models projection would store it, with published parameters: the sBG
 * "regular" cohort of Fader & Hardie (2007) for segment smb, BG/NBD and Gamma-Gamma on CDNOW
 * (Fader, Hardie & Lee 2005; Fader & Hardie 2013).
 */
export const PUBLISHED_LTV_FIT: LtvModels = Object.freeze({
  asOf: '2024-06-01T00:00:00.000Z',
  axis: 'occurred',
  position: 1000,
  fitId: '1000@2024-06-01T00:00:00.000Z',
  sbg: [{ segment: 'smb', alpha: 0.704, beta: 1.182, n: 1000, logLikelihood: -1680.3 }],
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, n: 2357, logLikelihood: -9582.4 },
  gammaGamma: { p: 6.25, q: 3.74, v: 15.44, n: 946, logLikelihood: -4059.8 },
});
