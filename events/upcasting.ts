import { UnknownEventTypeError, UnsupportedSchemaVersionError, UpcastFailedError } from './errors';
import { EVENT_REGISTRY, isAccountEventType, type AccountEventType } from './registry';

/** What a reader has from the store; an `EventEnvelope` fits as it is. */
export interface StoredEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly occurredAt: string;
}

export interface UpcastEvent {
  readonly type: AccountEventType;
  /** Always the current version of `type`. */
  readonly schemaVersion: number;
  readonly data: unknown;
}

/**
 * Lifts a stored payload to the current schema version, one upcaster per version step.
 * Data already at the current version is returned as it is. The result is not validated:
 * `decodeEvent` does that.
 */
export function upcast(stored: StoredEvent): UpcastEvent {
  const { type, schemaVersion: storedVersion, occurredAt } = stored;
  if (!isAccountEventType(type)) throw new UnknownEventTypeError(type);

  const { schemaVersion: currentVersion, upcasters } = EVENT_REGISTRY[type];
  if (!Number.isInteger(storedVersion) || storedVersion < 1 || storedVersion > currentVersion) {
    throw new UnsupportedSchemaVersionError(type, storedVersion, currentVersion);
  }

  let data = stored.data;
  for (let version = storedVersion; version < currentVersion; version += 1) {
    const upcaster = upcasters[version];
    if (upcaster === undefined) {
      throw new UpcastFailedError(type, version, new Error(`no upcaster to version ${version + 1}`));
    }
    try {
      data = upcaster(data, { occurredAt });
    } catch (cause) {
      throw new UpcastFailedError(type, version, cause);
    }
  }
  return { type, schemaVersion: currentVersion, data };
}
