import { z } from 'zod';
import type { Severity } from './shared/fields';

/**
 * Hours a complaint may stay open before it breaches its SLA, when it was raised without an
 * explicit `slaDueAt`. The API applies them to new complaints and the ComplaintRaised v1→v2
 * upcaster to old ones, so both must read them from here.
 */
export const DEFAULT_SLA_HOURS: Readonly<Record<Severity, number>> = Object.freeze({
  critical: 4,
  high: 24,
  medium: 72,
  low: 168,
});

const HOUR_MS = 3_600_000;
// A timestamp without a zone would be read in the host's zone: replay would depend on it.
const zonedTimestamp = z.iso.datetime({ offset: true });

/** `raisedAt` plus the default SLA for `severity`, as a UTC timestamp. */
export function defaultSlaDueAt(severity: Severity, raisedAt: string): string {
  if (!zonedTimestamp.safeParse(raisedAt).success) {
    throw new RangeError(
      `raisedAt must be an ISO 8601 timestamp with Z or an offset, got ${JSON.stringify(raisedAt)}`,
    );
  }
  return new Date(Date.parse(raisedAt) + DEFAULT_SLA_HOURS[severity] * HOUR_MS).toISOString();
}
