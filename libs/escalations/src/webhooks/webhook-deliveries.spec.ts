import { deterministicUuid } from '@ahe/domain';
import type { EventEnvelope } from '@ahe/event-store';
import { webhookDeliveriesFor, type WebhookPayload } from './webhook-deliveries';

const URLS = ['https://hooks.example.com/a', 'https://tools.example.org/b?token=t'];

const envelope = (type: string, data: unknown, overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  eventId: '0b9a5f6e-3c1d-4e2f-8a7b-1c2d3e4f5a6b',
  type,
  schemaVersion: 1,
  streamId: 'account-acme',
  revision: 7,
  globalPosition: 1234,
  occurredAt: '2025-03-01T10:00:00.000Z',
  recordedAt: '2025-03-01T10:00:01.500Z',
  data,
  metadata: { hash: 'h', previousHash: 'p' },
  ...overrides,
});

const OPENED = { escalationId: 'esc-1', rule: 'critical-complaint', reason: 'Critical complaint c-9', triggeringEventId: 'evt-9', severity: 'critical' };
const ACCOUNT = { name: 'Acme Corp', managerId: 'mgr-1', segment: 'enterprise' };

describe('webhookDeliveriesFor', () => {
  it('plans one deliver job per URL, with deterministic delivery ids', () => {
    const jobs = webhookDeliveriesFor(envelope('EscalationOpened', OPENED), URLS, ACCOUNT);
    expect(jobs).toHaveLength(2);
    URLS.forEach((url, index) => {
      const deliveryId = deterministicUuid('webhook', '0b9a5f6e-3c1d-4e2f-8a7b-1c2d3e4f5a6b', url);
      expect(jobs[index]).toEqual({ id: `deliver-${deliveryId}`, job: { kind: 'deliver', url, deliveryId, body: expect.any(String) } });
      expect(jobs[index]!.id).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    });
    expect(new Set(jobs.map((job) => job.id)).size).toBe(2);
    expect(webhookDeliveriesFor(envelope('EscalationOpened', OPENED), URLS, ACCOUNT)).toEqual(jobs);
    const other = webhookDeliveriesFor(envelope('EscalationOpened', OPENED, { eventId: 'another-event' }), URLS, ACCOUNT);
    expect(other.map((job) => job.id)).not.toEqual(jobs.map((job) => job.id));
  });

  it('serializes the event, its place in the log and the account into the body', () => {
    const [job] = webhookDeliveriesFor(envelope('EscalationOpened', OPENED), URLS.slice(0, 1), ACCOUNT);
    const delivery = job!.job as { deliveryId: string; body: string };
    expect(JSON.parse(delivery.body)).toEqual<WebhookPayload>({
      deliveryId: delivery.deliveryId,
      type: 'EscalationOpened',
      occurredAt: '2025-03-01T10:00:00.000Z',
      recordedAt: '2025-03-01T10:00:01.500Z',
      accountId: 'acme',
      escalationId: 'esc-1',
      data: OPENED,
      event: { eventId: '0b9a5f6e-3c1d-4e2f-8a7b-1c2d3e4f5a6b', streamId: 'account-acme', revision: 7, globalPosition: 1234 },
      account: ACCOUNT,
    });
  });

  it.each([
    ['EscalationAcknowledged', { escalationId: 'esc-1', by: 'writer:abc', note: 'On it' }],
    ['EscalationResolved', { escalationId: 'esc-1', resolution: 'Refunded' }],
  ])('delivers %s too, without an account when none is given', (type, data) => {
    const jobs = webhookDeliveriesFor(envelope(type, data), URLS);
    expect(jobs).toHaveLength(2);
    const body = JSON.parse((jobs[0]!.job as { body: string }).body) as WebhookPayload;
    expect(body).toMatchObject({ type, escalationId: 'esc-1', data });
    expect(body).not.toHaveProperty('account');
  });

  it('plans nothing for other event types, other streams or no URLs', () => {
    expect(webhookDeliveriesFor(envelope('ComplaintRaised', { complaintId: 'c-1' }), URLS, ACCOUNT)).toEqual([]);
    expect(webhookDeliveriesFor(envelope('EscalationOpened', OPENED, { streamId: 'escalations-acme' }), URLS, ACCOUNT)).toEqual([]);
    expect(webhookDeliveriesFor(envelope('EscalationOpened', OPENED), [], ACCOUNT)).toEqual([]);
  });
});
