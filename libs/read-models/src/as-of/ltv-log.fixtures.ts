import type { EventEnvelope } from '@ahe/event-store';

/* Random portfolio logs for the specs that prove as-of LTV answers equal to a replay of the whole log. */

export const DAY = 86_400_000;
export const LOG_START = Date.parse('2023-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A seeded generator, so a failure replays. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (state * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
}

interface LogEvent {
  readonly type: string;
  readonly data: unknown;
}

/** The next event of an account, by its kind; renewals and closures are rare, invoices common. */
function accountEvent(next: () => number, contractual: boolean, atMs: number): LogEvent {
  const roll = next();
  const day = iso(atMs).slice(0, 10);
  if (roll < 0.35) return { type: 'InvoiceIssued', data: { invoiceId: `i${Math.floor(next() * 1e9)}`, amount: 1_000 + Math.floor(next() * 50_000), dueOn: day } };
  if (roll < 0.45 && contractual) return { type: 'RenewalWon', data: { endsOn: iso(atMs + 365 * DAY).slice(0, 10), annualValue: 12_000_00 } };
  if (roll < 0.5 && contractual) return { type: 'RenewalLost', data: { reason: 'budget' } };
  if (roll < 0.52) return { type: 'AccountClosed', data: { reason: 'left' } };
  if (roll < 0.55) return { type: 'ProbeOfALaterBuild', data: {} };
  if (roll < 0.75) return { type: 'SatisfactionRecorded', data: { kind: 'nps', score: Math.floor(next() * 11) } };
  return { type: 'ContactLogged', data: { channel: 'call', direction: 'inbound', summary: 'call' } };
}

/**
 * Accounts' streams interleaved in one log over two years, with another stream's events among
 * them, a fifth of the events back-dated (never before the opening), recorded a few hours after
 * one another (some at the same instant) and positions not always ascending in log order.
 */
export function portfolioLog(seed: number, accounts: number, events: number): EventEnvelope[] {
  const next = random(seed);
  const kinds = new Map<string, { contractual: boolean; openedMs: number; revision: number }>();
  const log: EventEnvelope[] = [];
  let recordedMs = LOG_START;
  for (let n = 0; n < events; n++) {
    recordedMs += Math.floor(next() * 3) * 3_600_000 * 5;
    const streamIndex = Math.floor(next() * (accounts + 1));
    const streamId = streamIndex === accounts ? 'escalation-process-x' : `account-a${streamIndex}`;
    let stream = kinds.get(streamId);
    let body: LogEvent;
    let occurredMs = recordedMs;
    if (stream === undefined) {
      const contractual = next() < 0.6;
      const segment = ['smb', 'mid', 'enterprise'][Math.floor(next() * 3)]!;
      const currency = next() < 0.8 ? 'EUR' : 'JPY';
      const contract = contractual ? { contract: { startsOn: iso(recordedMs).slice(0, 10), endsOn: iso(recordedMs + 365 * DAY).slice(0, 10), annualValue: 12_000_00 } } : {};
      body = { type: 'AccountOpened', data: { name: streamId, segment, managerId: 'm', currency, ...contract } };
      stream = { contractual, openedMs: recordedMs, revision: -1 };
      kinds.set(streamId, stream);
    } else {
      body = accountEvent(next, stream.contractual, recordedMs);
      if (next() < 0.2) occurredMs = Math.max(stream.openedMs, recordedMs - Math.floor(next() * 60) * DAY);
    }
    stream.revision++;
    const position = n + 1 + (next() < 0.1 ? 2 : 0);
    log.push({
      eventId: `${streamId}-${stream.revision}`, type: body.type, schemaVersion: 1, streamId, revision: stream.revision, globalPosition: position,
      occurredAt: iso(occurredMs), recordedAt: iso(recordedMs), data: body.data, metadata: { hash: '', previousHash: '' },
    });
  }
  return log;
}

/** Instants spread over the log's span, and one before it. */
export function instantsOver(log: readonly EventEnvelope[], count: number): Date[] {
  const last = Date.parse(log.at(-1)!.recordedAt);
  return [new Date(LOG_START - DAY), ...Array.from({ length: count }, (_, n) => new Date(LOG_START + Math.round(((n + 0.5) / count) * (last - LOG_START))))];
}
