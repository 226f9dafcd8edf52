export * from './sql-client';
export type { AdvisoryLease } from './advisory-lease';
export { PgPoolClient, type PgPoolOptions } from './pg-pool.client';
export { PgliteClient, IN_MEMORY } from './pglite.client';
export { PGLITE_THREADINGS, type PgliteThreading } from './pglite-handle';
export { openDatabase, type DatabaseConfig } from './open-database';
export { migrate, type MigrationSet } from './migrations';
export { ConnectionLostError, CONNECTION_FAILURE } from './connection-lost.error';
export { InFlight } from './in-flight';
