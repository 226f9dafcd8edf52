import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { text, TEXT_LIMITS } from './shared/fields';

/** A touchpoint with the customer; `occurredAt` is when it happened, often logged later. */
export const CONTACT_LOGGED = 'ContactLogged';
export const CONTACT_LOGGED_SCHEMA_VERSION = 1;

export const CONTACT_CHANNELS = ['email', 'call', 'meeting', 'chat', 'other'] as const;
export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;

export const contactLoggedSchema = z.strictObject({
  channel: z.enum(CONTACT_CHANNELS),
  direction: z.enum(CONTACT_DIRECTIONS).describe('inbound: the customer reached out'),
  summary: text(TEXT_LIMITS.longText),
  sentiment: z
    .number()
    .min(-1)
    .max(1)
    .optional()
    .describe('Tone of the contact from -1 (hostile) through 0 (neutral) to 1 (delighted)'),
});

export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];
export type ContactLogged = z.infer<typeof contactLoggedSchema>;

export const contactLoggedEvent = defineEvent({
  type: CONTACT_LOGGED,
  schemaVersion: CONTACT_LOGGED_SCHEMA_VERSION,
  schema: contactLoggedSchema,
  upcasters: {},
});
