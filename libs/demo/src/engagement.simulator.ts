import { defaultSlaDueAt, DEFAULT_SLA_HOURS } from '@ahe/events';
import type { AccountLife } from './account-life';
import {
  CHANNELS, COMPLAINT_CATEGORIES, COMPLAINT_DESCRIPTIONS, CONTACT_SUMMARIES, EXPANSIONS, RESOLUTIONS,
  SEVERITY_SIGNAL, SEVERITY_WEIGHTS, SURVEY_COMMENTS,
} from './demo-catalogue';
import { DAY_MS } from './account-timeline';
import { clamp } from './seeded-random';

const HOUR_MS = 3_600_000;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Touchpoints: frequent while the account is healthy, rare once it goes quiet. */
export function simulateContacts(life: AccountLife, weekStart: number): void {
  const { rng, profile } = life;
  const engaged = life.health > -0.6 ? 1 : 0.12;
  if (!rng.chance(profile.contactsPerWeek * engaged)) return;
  const sentiment = clamp(round2(Math.tanh(0.7 * life.health + rng.normal(0, 0.35))), -1, 1);
  life.timeline.schedule(weekStart + rng.between(DAY_MS, 6 * DAY_MS), {
    type: 'ContactLogged',
    data: {
      channel: rng.weighted(CHANNELS),
      direction: rng.chance(0.4) ? 'inbound' : 'outbound',
      summary: rng.pick(CONTACT_SUMMARIES),
      ...(rng.chance(0.8) ? { sentiment } : {}),
    },
  });
}

/** Complaints come more often, and worse, as health falls; they are resolved late more often too. */
export function simulateComplaints(life: AccountLife, weekStart: number): void {
  const { rng, profile } = life;
  if (!rng.chance(profile.complaintsPerWeek * Math.exp(-0.9 * life.health))) return;
  const strain = clamp(-life.health, 0, 2);
  const severity = rng.weighted({ ...SEVERITY_WEIGHTS, high: SEVERITY_WEIGHTS.high * (1 + strain), critical: SEVERITY_WEIGHTS.critical * (1 + 2 * strain) });
  const raisedAt = Math.round(weekStart + rng.between(DAY_MS, 6 * DAY_MS));
  const complaintId = `${life.accountId}-c${++life.complaints}`;
  life.timeline.schedule(raisedAt, {
    type: 'ComplaintRaised',
    data: {
      complaintId, severity, category: rng.pick(COMPLAINT_CATEGORIES), description: rng.pick(COMPLAINT_DESCRIPTIONS),
      slaDueAt: defaultSlaDueAt(severity, new Date(raisedAt).toISOString()),
    },
  });
  life.health -= 0.15 * SEVERITY_SIGNAL[severity];
  // Relative to the SLA: a healthy team resolves at ~0.5 of it, a strained one at ~1.6 (late).
  const delay = DEFAULT_SLA_HOURS[severity] * HOUR_MS * rng.logNormal(life.health > 0 ? 0.5 : 1.6, 0.6);
  if (rng.chance(0.04 + 0.04 * strain)) return; // never resolved: stays open
  life.timeline.schedule(raisedAt + Math.max(delay, 10 * 60_000), {
    type: 'ComplaintResolved',
    data: { complaintId, resolution: rng.pick(RESOLUTIONS) },
  });
  if (delay > DEFAULT_SLA_HOURS[severity] * HOUR_MS) life.health -= 0.1;
}

/** Quarterly-ish CSAT or NPS surveys whose scores follow health. */
export function simulateSurveys(life: AccountLife, weekStart: number): void {
  const { rng } = life;
  if (!rng.chance(1 / 13)) return;
  const at = weekStart + rng.between(DAY_MS, 6 * DAY_MS);
  const csat = rng.chance(0.5);
  const score = csat
    ? clamp(Math.round(3.6 + 0.8 * life.health + rng.normal(0, 0.5)), 1, 5)
    : clamp(Math.round(7.2 + 1.8 * life.health + rng.normal(0, 1)), 0, 10);
  const comment = rng.pick(SURVEY_COMMENTS);
  life.timeline.schedule(at, {
    type: 'SatisfactionRecorded',
    data: { kind: csat ? 'csat' : 'nps', score, ...(comment ? { comment } : {}) },
  });
}

/** Happy contractual accounts buy more; an occasional change of account manager. */
export function simulateGrowthAndOwnership(life: AccountLife, weekStart: number): void {
  const { rng } = life;
  if (life.contractEndsOn !== null && !life.renewalLost && rng.chance(life.health > 0.3 ? 0.006 : 0.001)) {
    const amount = Math.max(100, Math.round(life.annualValue * rng.between(0.05, 0.3)));
    life.timeline.schedule(weekStart + rng.between(DAY_MS, 6 * DAY_MS), { type: 'ExpansionWon', data: { amount, description: rng.pick(EXPANSIONS) } });
    life.annualValue += amount;
    life.health += 0.15;
  }
  if (rng.chance(0.002)) {
    const others = life.profile.managers.filter((manager) => manager !== life.managerId);
    const managerId = rng.pick(others);
    life.timeline.schedule(weekStart + rng.between(DAY_MS, 6 * DAY_MS), {
      type: 'AccountManagerAssigned', data: { managerId, previousManagerId: life.managerId },
    });
    life.managerId = managerId;
  }
}
