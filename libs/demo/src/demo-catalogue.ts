import type { ContactChannel, Severity } from '@ahe/events';

export type SegmentName = 'smb' | 'mid-market' | 'enterprise';

export interface SegmentProfile {
  readonly share: number;
  /** Annual contract value range, minor units. */
  readonly annualValue: readonly [number, number];
  readonly termMonths: readonly number[];
  readonly billingMonths: number;
  /** Share of accounts with a contract; the others buy on repeated invoices. */
  readonly contractual: number;
  /** Chance of a logged contact in a given week while the account is engaged. */
  readonly contactsPerWeek: number;
  /** Complaints per week for an account of neutral health. */
  readonly complaintsPerWeek: number;
  /** Baseline log-odds of losing a renewal with no warning signal at all. */
  readonly lossBaseline: number;
  readonly managers: readonly string[];
}

export const SEGMENTS: Readonly<Record<SegmentName, SegmentProfile>> = {
  smb: {
    share: 0.6, annualValue: [300_000, 2_400_000], termMonths: [12], billingMonths: 1, contractual: 0.6,
    contactsPerWeek: 0.2, complaintsPerWeek: 0.012, lossBaseline: -2.9,
    managers: ['mgr-ana', 'mgr-bruno', 'mgr-chloe', 'mgr-dev'],
  },
  'mid-market': {
    share: 0.3, annualValue: [2_400_000, 12_000_000], termMonths: [12, 24], billingMonths: 3, contractual: 0.9,
    contactsPerWeek: 0.45, complaintsPerWeek: 0.018, lossBaseline: -3.2,
    managers: ['mgr-emma', 'mgr-farid', 'mgr-grace'],
  },
  enterprise: {
    share: 0.1, annualValue: [12_000_000, 90_000_000], termMonths: [24, 36], billingMonths: 12, contractual: 1,
    contactsPerWeek: 0.8, complaintsPerWeek: 0.025, lossBaseline: -3.5,
    managers: ['mgr-hiro', 'mgr-ines'],
  },
};

export const CURRENCIES = { EUR: 0.6, USD: 0.3, GBP: 0.1 } as const;

export const NAME_PREFIXES = ['Acme', 'Blue', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper',
  'Kestrel', 'Lumen', 'Maple', 'Nova', 'Orbit', 'Pine', 'Quartz', 'River', 'Summit', 'Tidal', 'Umber', 'Vertex', 'Willow', 'Zephyr'];
export const NAME_SUFFIXES = ['Analytics', 'Bakery', 'Clinics', 'Dynamics', 'Energy', 'Foods', 'Logistics', 'Media', 'Motors',
  'Partners', 'Retail', 'Robotics', 'Software', 'Studios', 'Systems', 'Travel'];
export const NAME_FORMS = ['Ltd', 'GmbH', 'Inc', 'SA', 'BV', 'plc'];

export const CHANNELS: Readonly<Record<ContactChannel, number>> = { email: 0.4, call: 0.25, meeting: 0.15, chat: 0.15, other: 0.05 };

export const CONTACT_SUMMARIES = ['Quarterly business review', 'Onboarding follow-up', 'Question about the invoice',
  'Feature request discussed', 'Check-in call', 'Training session for new users', 'Roadmap preview', 'Usage report shared'];

export const COMPLAINT_CATEGORIES = ['billing', 'outage', 'support', 'performance', 'data quality', 'onboarding'];
export const COMPLAINT_DESCRIPTIONS = ['Service unavailable for several hours', 'Invoice does not match the contract',
  'Support ticket unanswered for days', 'Reports load very slowly', 'Export contains duplicate rows', 'Users cannot log in'];
export const RESOLUTIONS = ['Fixed and verified with the customer', 'Credit note issued', 'Workaround documented',
  'Configuration corrected', 'Escalated to engineering and patched'];

/** Odds of each severity for an account of neutral health; a struggling one shifts to the severe end. */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { low: 0.4, medium: 0.35, high: 0.18, critical: 0.07 };
export const SEVERITY_SIGNAL: Readonly<Record<Severity, number>> = { low: 0.5, medium: 1, high: 1.5, critical: 2.5 };

export const EXPANSIONS = ['Additional seats', 'Analytics add-on', 'Premium support', 'New business unit onboarded', 'API package'];
export const SURVEY_COMMENTS = ['', 'Great support team', 'Too many outages lately', 'Pricing is hard to follow', 'Works well for us'];
