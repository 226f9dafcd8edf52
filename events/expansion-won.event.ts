import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { positiveMoney, text, TEXT_LIMITS } from './shared/fields';

/** An upsell or cross-sell on top of the current contract. */
export const EXPANSION_WON = 'ExpansionWon';
export const EXPANSION_WON_SCHEMA_VERSION = 1;

export const expansionWonSchema = z.strictObject({
  amount: positiveMoney().describe('Value of the expansion, minor units of the account currency'),
  description: text(TEXT_LIMITS.longText),
});

export type ExpansionWon = z.infer<typeof expansionWonSchema>;

export const expansionWonEvent = defineEvent({
  type: EXPANSION_WON,
  schemaVersion: EXPANSION_WON_SCHEMA_VERSION,
  schema: expansionWonSchema,
  upcasters: {},
});
