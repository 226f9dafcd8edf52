import { z } from 'zod';
import { defineEvent } from './shared/event-descriptor';
import { id } from './shared/fields';

/** Ownership of the account moves to another account manager. */
export const ACCOUNT_MANAGER_ASSIGNED = 'AccountManagerAssigned';
export const ACCOUNT_MANAGER_ASSIGNED_SCHEMA_VERSION = 1;

export const accountManagerAssignedSchema = z.strictObject({
  managerId: id().describe('The new account manager'),
  previousManagerId: id()
    .optional()
    .describe('The manager being replaced, so portfolio rollups can move the account without a lookup'),
});

export type AccountManagerAssigned = z.infer<typeof accountManagerAssignedSchema>;

export const accountManagerAssignedEvent = defineEvent({
  type: ACCOUNT_MANAGER_ASSIGNED,
  schemaVersion: ACCOUNT_MANAGER_ASSIGNED_SCHEMA_VERSION,
  schema: accountManagerAssignedSchema,
  upcasters: {},
});
