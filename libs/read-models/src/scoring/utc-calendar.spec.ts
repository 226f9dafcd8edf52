import fc from 'fast-check';
import { dayNumberOfDate, instantMs, nextUtcMidnight, utcDateOf, utcDayNumber } from './utc-calendar';

const instants = fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2200-12-31T23:59:59.999Z') });

describe('UTC calendar', () => {
  it('reads dates and instants exactly as Date.parse does, without it', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const iso = new Date(ms).toISOString();
        expect(instantMs(iso)).toBe(ms);
        expect(dayNumberOfDate(iso.slice(0, 10))).toBe(utcDayNumber(ms));
        expect(utcDateOf(iso)).toBe(iso.slice(0, 10));
      }),
    );
  });

  it('falls back to Date.parse for other shapes: offsets, no fraction', () => {
    expect(instantMs('2025-01-31T23:30:00+02:00')).toBe(Date.parse('2025-01-31T21:30:00Z'));
    expect(utcDateOf('2025-01-31T23:30:00-02:00')).toBe('2025-02-01');
    expect(instantMs('2025-01-31T09:30:00Z')).toBe(Date.parse('2025-01-31T09:30:00Z'));
  });

  it('finds the next UTC midnight strictly after an instant', () => {
    expect(new Date(nextUtcMidnight(Date.parse('2024-02-28T23:59:59.999Z'))).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(nextUtcMidnight(Date.parse('2024-02-29T00:00:00.000Z'))).toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });
});
