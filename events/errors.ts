import type { EventIssue } from './shared/issues';

export class UnknownEventTypeError extends Error {
  override readonly name = 'UnknownEventTypeError';

  constructor(readonly type: string) {
    super(`Unknown event type ${JSON.stringify(type)}`);
  }
}

/** The stored version is newer than this build knows (deploy order), or not a version at all. */
export class UnsupportedSchemaVersionError extends Error {
  override readonly name = 'UnsupportedSchemaVersionError';

  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      `${type} schemaVersion ${JSON.stringify(schemaVersion)} is not supported: ` +
        `versions 1 to ${currentVersion} are known`,
    );
  }
}

export class UpcastFailedError extends Error {
  override readonly name = 'UpcastFailedError';

  constructor(
    readonly type: string,
    readonly fromVersion: number,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot upcast ${type} from schemaVersion ${fromVersion}: ${reason}`, { cause });
  }
}

/** A stored event that, once upcast, does not match the current schema. */
export class InvalidEventDataError extends Error {
  override readonly name = 'InvalidEventDataError';

  constructor(
    readonly type: string,
    readonly issues: readonly EventIssue[],
  ) {
    super(`Invalid ${type} data: ${issues.map((issue) => issue.message).join('; ')}`);
  }
}
