/**
 * Injection token of the process's one SqlClient: `@Inject(SQL_CLIENT) sql: SqlClient`. The
 * event store, read models and the idempotency table share it (PGlite allows one instance).
 */
export const SQL_CLIENT = Symbol('SQL_CLIENT');
