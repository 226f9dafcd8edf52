/**
 * Why an import was refused. Both carry the HTTP status the API answers with, so the route
 * and the CLI report the same thing.
 */
export class InvalidImportLineError extends Error {
  override readonly name = 'InvalidImportLineError';
  readonly status = 400;

  constructor(
    /** 1-based line number in the NDJSON source. */
    readonly line: number,
    readonly code: string,
    readonly problem: string,
    readonly options: { readonly field?: string; readonly accountId?: string; readonly ruleStatus?: number } = {},
  ) {
    super(`line ${line}: ${problem}`);
  }

  get field(): string | undefined {
    return this.options.field;
  }

  /** The `details` of the API's error body. */
  toDetails(): Record<string, unknown> {
    return { line: this.line, code: this.code, ...this.options };
  }
}

/** The store's deadlock error says itself that nothing was stored: it is not quoted, so that is said once. */
const DEADLOCKED = 'another write held accounts this import needed while it waited for accounts the import held, and PostgreSQL ended the import to break the deadlock';

function storedOf(appended: { readonly events: number; readonly accounts: number }): string {
  return appended.events === 0 ? 'nothing was stored' : `${appended.events} event(s) of ${appended.accounts} account(s) were appended before the conflict`;
}

/**
 * Another writer appended to an account of the import while it ran. On the SQL stores the
 * import is one transaction and nothing of it is stored; on the others, accounts finished
 * before the conflict keep their events (the port appends one stream at a time).
 */
export class ImportConflictError extends Error {
  override readonly name = 'ImportConflictError';
  readonly status = 409;
  readonly code = 'IMPORT_CONFLICT';

  constructor(
    /** Null when PostgreSQL broke a deadlock with another import (WriteDeadlockError): no one stream is at fault. */
    readonly streamId: string | null,
    readonly appended: { readonly events: number; readonly accounts: number },
    cause: Error,
  ) {
    super(
      streamId === null ? `${DEADLOCKED}; ${storedOf(appended)}; it may be retried` : `${streamId} changed while the import was running (${cause.message}); ${storedOf(appended)}`,
      { cause },
    );
  }

  toDetails(): Record<string, unknown> {
    return { code: this.code, streamId: this.streamId, appended: this.appended };
  }
}
