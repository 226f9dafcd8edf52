import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { calendarDate, nonNegativeMoney } from './shared/fields';

/** The contract is renewed: it now runs to `endsOn` at `annualValue` per year. */
export const RENEWAL_WON = 'RenewalWon';
export const RENEWAL_WON_SCHEMA_VERSION = 1;

export const renewalWonSchema = z.strictObject({
  endsOn: calendarDate().describe('New last day of the contract'),
  annualValue: nonNegativeMoney().describe('New contract value per year, minor units'),
});

export type RenewalWon = z.infer<typeof renewalWonSchema>;

export const renewalWonEvent = defineEvent({
  type: RENEWAL_WON,
  schemaVersion: RENEWAL_WON_SCHEMA_VERSION,
  schema: renewalWonSchema,
  upcasters: {},
});
