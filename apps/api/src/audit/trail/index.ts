export { AuditRead } from './audit-read.decorator';
export { AuditTrailInterceptor, AUDIT_READ, type AuditReadOptions } from './audit-trail.interceptor';
export type { AuditLine } from './audit-line';
