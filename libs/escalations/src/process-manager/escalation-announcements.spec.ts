import type { EventEnvelope } from '@ahe/event-store';
import * as at from '../workflow/testing/escalation-events';
import { ACCOUNT, daysAgo, envelopeOf, NOW, watchOf, type HistoryEvent } from '../workflow/testing/escalation-specification';
import { announcementsOf, isImported } from './escalation-announcements';

const ESCALATION = '6f1c2a4e-0d6b-5c55-9a43-1b2c3d4e5f60';
const HISTORY: HistoryEvent[] = [at.opened(daysAgo(90)), at.escalationOpened(ESCALATION, 'band-red', daysAgo(45))];
const WATCH = watchOf(HISTORY);
const OPTIONS = { webhookUrls: ['https://hooks.example.com/a', 'https://hooks.example.com/b'], maxAgeDays: 30 };
const BY_COMMAND = { correlationId: 'req-1', causationId: 'req-1', actor: 'writer:0123456789ab' };
const BY_IMPORT = { correlationId: 'import-7', actor: 'api' };

/** The event as the store hands it to the process manager: when it was recorded, and by whom. */
function recorded(event: HistoryEvent, recordedAt: string, metadata: Record<string, string>): EventEnvelope {
  const envelope = envelopeOf(event, HISTORY.length);
  return { ...envelope, recordedAt, metadata: { ...envelope.metadata, ...metadata } };
}

const deliveryTypes = (envelope: EventEnvelope): string[] =>
  announcementsOf(envelope, WATCH, OPTIONS, NOW).map(({ job }) => (job.kind === 'deliver' ? `${JSON.parse(job.body).type} to ${job.url}` : job.kind));

describe('announcementsOf', () => {
  it('announces a back-dated acknowledgement or resolution recorded just now', () => {
    const acknowledged = recorded(at.escalationAcknowledged(ESCALATION, daysAgo(40)), daysAgo(0.01), BY_COMMAND);
    expect(deliveryTypes(acknowledged)).toEqual(['EscalationAcknowledged to https://hooks.example.com/a', 'EscalationAcknowledged to https://hooks.example.com/b']);
    const resolved = recorded(at.escalationResolved(ESCALATION, daysAgo(40)), daysAgo(0.01), BY_COMMAND);
    expect(deliveryTypes(resolved)).toHaveLength(2);
    expect(JSON.parse((announcementsOf(resolved, WATCH, OPTIONS, NOW)[0]!.job as { body: string }).body)).toMatchObject({
      type: 'EscalationResolved',
      accountId: ACCOUNT,
      escalationId: ESCALATION,
      occurredAt: daysAgo(40),
      recordedAt: daysAgo(0.01),
    });
  });

  it('does not announce again what was recorded more than maxAgeDays ago, as a replay reads it', () => {
    expect(deliveryTypes(recorded(at.escalationAcknowledged(ESCALATION, daysAgo(40)), daysAgo(31), BY_COMMAND))).toEqual([]);
    expect(deliveryTypes(recorded(at.escalationAcknowledged(ESCALATION, daysAgo(31)), daysAgo(31), BY_COMMAND))).toEqual([]);
    expect(deliveryTypes(recorded(at.escalationAcknowledged(ESCALATION, daysAgo(29)), daysAgo(29), BY_COMMAND))).toHaveLength(2);
  });

  it('keeps an import of old escalation history quiet, and announces an imported event that is recent', () => {
    expect(deliveryTypes(recorded(at.escalationResolved(ESCALATION, daysAgo(40)), daysAgo(0.01), BY_IMPORT))).toEqual([]);
    expect(deliveryTypes(recorded(at.escalationResolved(ESCALATION, daysAgo(2)), daysAgo(0.01), BY_IMPORT))).toHaveLength(2);
  });

  it('announces nothing without webhook URLs, nor events that are not escalation events', () => {
    const acknowledged = recorded(at.escalationAcknowledged(ESCALATION, daysAgo(1)), daysAgo(0.01), BY_COMMAND);
    expect(announcementsOf(acknowledged, WATCH, { ...OPTIONS, webhookUrls: [] }, NOW)).toEqual([]);
    expect(deliveryTypes(recorded(at.contacted(daysAgo(1)), daysAgo(0.01), BY_COMMAND))).toEqual([]);
  });
});

describe('isImported', () => {
  it('tells an import (no causation) from a command or the escalation worker (a causation)', () => {
    const event = at.escalationResolved(ESCALATION, daysAgo(1));
    expect(isImported(recorded(event, daysAgo(1), BY_IMPORT))).toBe(true);
    expect(isImported(recorded(event, daysAgo(1), BY_COMMAND))).toBe(false);
    expect(isImported(recorded(event, daysAgo(1), { correlationId: 'job', causationId: ESCALATION, actor: 'system:escalations' }))).toBe(false);
  });
});
