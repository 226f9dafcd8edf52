import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { AUDIT_READ, AuditTrailGuard, type AuditReadOptions } from './audit-trail.guard';

/**
 * Marks a route (or every route of a controller) as an audit read: each call is logged as a
 * structured `audit: true` line with the route, the account, the key's roles and id, the
 * correlation id and the status (an audit trail of the audit). Needs no module import.
 */
export const AuditRead = (options: AuditReadOptions = {}) =>
  applyDecorators(SetMetadata(AUDIT_READ, options), UseGuards(AuditTrailGuard));
