import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { calendarDate, currencyCode, id, nonNegativeMoney, text, TEXT_LIMITS } from './shared/fields';

/** A customer account starts: the first event of every `account-<accountId>` stream. */
export const ACCOUNT_OPENED = 'AccountOpened';
export const ACCOUNT_OPENED_SCHEMA_VERSION = 1;

export const contractSchema = z
  .strictObject({
    startsOn: calendarDate().describe('First day of the contract'),
    endsOn: calendarDate().describe('Last day of the contract; the renewal date'),
    annualValue: nonNegativeMoney().describe('Contract value per year, minor units of the currency'),
  })
  .refine((contract) => contract.endsOn > contract.startsOn, {
    path: ['endsOn'],
    error: 'must be after contract.startsOn',
  });

export const accountOpenedSchema = z.strictObject({
  name: text(TEXT_LIMITS.name).describe('Customer name'),
  segment: text(TEXT_LIMITS.label).describe('Portfolio segment, e.g. enterprise; LTV models fit per segment'),
  managerId: id().describe('Account manager who owns the account'),
  currency: currencyCode().describe('ISO 4217 currency of every amount on this account'),
  contract: contractSchema.optional().describe('Absent for accounts billed without a contract'),
});

export type Contract = z.infer<typeof contractSchema>;
export type AccountOpened = z.infer<typeof accountOpenedSchema>;

export const accountOpenedEvent = defineEvent({
  type: ACCOUNT_OPENED,
  schemaVersion: ACCOUNT_OPENED_SCHEMA_VERSION,
  schema: accountOpenedSchema,
  upcasters: {},
});
