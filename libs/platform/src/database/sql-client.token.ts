/**
 * Injection token of the process's one SqlClient: `@Inject(SQL_CLIENT) sql: SqlClient`. The
 * event store, read models and the idempotency table share it (PGlite allows one instance).
 * A file of its own, so that the database module's providers can inject it without importing
 * the module that lists them.
 */
export const SQL_CLIENT = Symbol('SQL_CLIENT');
