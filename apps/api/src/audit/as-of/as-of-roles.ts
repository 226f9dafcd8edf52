import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@ahe/platform';

/** Replaying an account's past is an audit read (API.md "Audit"): role auditor, or admin. */
export const AS_OF_ROLES = ['auditor', 'admin'] as const;

/**
 * For GET /v1/health/:accountId, which analysts may read live: with asOf it is an audit read,
 * and a key without the auditor role learns which role it lacks. The route's own @Roles lets
 * analysts through to here, so the check is the handler's.
 */
export function assertMayReadAsOf(principal: Principal): void {
  if (principal.roles.some((role) => (AS_OF_ROLES as readonly string[]).includes(role))) return;
  throw new ForbiddenException(`Reading the health as of an instant (asOf) needs the role auditor or admin; the key has ${principal.roles.join(', ')}`);
}
