export { AuditRead } from './audit-read.decorator';
export { AuditTrailGuard, AUDIT_READ, type AuditReadOptions } from './audit-trail.guard';
export type { AuditLine } from './audit-line';
