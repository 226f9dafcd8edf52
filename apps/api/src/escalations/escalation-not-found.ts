import { NotFoundException } from '@nestjs/common';

/**
 * The read model is where an escalation is found: its id alone does not say which account's
 * stream holds it. One just opened may take a moment to appear there.
 */
export const escalationNotFound = (escalationId: string): NotFoundException =>
  new NotFoundException({
    message: `Escalation ${escalationId} does not exist (or is not in the escalations read model yet)`,
    code: 'ESCALATION_NOT_FOUND',
    field: 'escalationId',
  });
