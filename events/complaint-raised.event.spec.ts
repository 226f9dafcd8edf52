import {
  COMPLAINT_RAISED_SCHEMA_VERSION,
  complaintRaisedSchema,
  complaintRaisedV1Schema,
  upcastComplaintRaisedV1ToV2,
} from './complaint-raised.event';
import { DEFAULT_SLA_HOURS, defaultSlaDueAt } from './complaint-sla';
import { UpcastFailedError } from './errors';
import { decodeEvent } from './parsing';
import { upcast } from './upcasting';

const v1 = {
  complaintId: 'cmp-legacy-1',
  severity: 'critical',
  category: 'billing',
  description: 'Charged twice in March',
};
const occurredAt = '2024-03-10T22:30:00.000Z';

describe('ComplaintRaised', () => {
  it('is at schemaVersion 2, whose only change is the slaDueAt field', () => {
    expect(COMPLAINT_RAISED_SCHEMA_VERSION).toBe(2);
    expect(complaintRaisedV1Schema.safeParse(v1).success).toBe(true);
    expect(complaintRaisedSchema.safeParse(v1).success).toBe(false);
  });

  it('exports the default SLA per severity that the API also applies', () => {
    expect(DEFAULT_SLA_HOURS).toEqual({ critical: 4, high: 24, medium: 72, low: 168 });
    expect(Object.isFrozen(DEFAULT_SLA_HOURS)).toBe(true);
  });

  describe('v1 → v2 upcast', () => {
    it.each([
      ['critical', '2024-03-11T02:30:00.000Z'],
      ['high', '2024-03-11T22:30:00.000Z'],
      ['medium', '2024-03-13T22:30:00.000Z'],
      ['low', '2024-03-17T22:30:00.000Z'],
    ] as const)('derives slaDueAt for a %s complaint from occurredAt', (severity, slaDueAt) => {
      const data = { ...v1, severity };

      const lifted = upcast({ type: 'ComplaintRaised', schemaVersion: 1, data, occurredAt });

      expect(lifted).toEqual({ type: 'ComplaintRaised', schemaVersion: 2, data: { ...data, slaDueAt } });
      expect(complaintRaisedSchema.safeParse(lifted.data).success).toBe(true);
    });

    it('does not modify the stored payload', () => {
      const stored = { ...v1 };

      upcastComplaintRaisedV1ToV2(stored, { occurredAt });

      expect(stored).toEqual(v1);
    });

    it('counts from an offset occurredAt in absolute time and answers in UTC', () => {
      expect(upcastComplaintRaisedV1ToV2(v1, { occurredAt: '2024-03-11T00:30:00+02:00' })).toEqual({
        ...v1,
        slaDueAt: '2024-03-11T02:30:00.000Z',
      });
    });

    it('yields an event that decodes as the current version', () => {
      expect(decodeEvent({ type: 'ComplaintRaised', schemaVersion: 1, data: v1, occurredAt })).toEqual({
        type: 'ComplaintRaised',
        data: { ...v1, slaDueAt: '2024-03-11T02:30:00.000Z' },
      });
    });

    it.each([
      ['an unknown severity', { ...v1, severity: 'urgent' }, occurredAt],
      ['a payload that is not an object', null, occurredAt],
      ['an occurredAt without a time zone', v1, '2024-03-10T22:30:00'],
    ])('fails with UpcastFailedError on %s', (_case, data, at) => {
      const read = () => upcast({ type: 'ComplaintRaised', schemaVersion: 1, data, occurredAt: at });

      expect(read).toThrow(UpcastFailedError);
      expect(read).toThrow(/Cannot upcast ComplaintRaised from schemaVersion 1/);
    });
  });

  describe('defaultSlaDueAt', () => {
    it('adds the severity SLA to the moment the complaint was raised', () => {
      expect(defaultSlaDueAt('high', '2024-12-31T12:00:00Z')).toBe('2025-01-01T12:00:00.000Z');
    });

    it('rejects a timestamp whose meaning depends on the host time zone', () => {
      expect(() => defaultSlaDueAt('low', '2024-12-31T12:00:00')).toThrow(RangeError);
      expect(() => defaultSlaDueAt('low', 'yesterday')).toThrow(RangeError);
    });
  });
});
