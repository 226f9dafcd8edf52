import { currentSchemaVersion, isAccountEventType, upcast } from '@ahe/events';
import { UpcastFailedError, type EventEnvelope, type EventStore, type GlobalBatch } from '@ahe/event-store';

/**
 * The envelope at its type's current schema version (events.md, "Versioning"): returned as it is
 * when it already is, or when its type is not an account event's; a version newer than this
 * build knows throws, naming the event, rather than being read as something it is not.
 */
export function atCurrentVersion(envelope: EventEnvelope): EventEnvelope {
  if (!isAccountEventType(envelope.type) || envelope.schemaVersion === currentSchemaVersion(envelope.type)) return envelope;
  try {
    const current = upcast(envelope);
    return { ...envelope, schemaVersion: current.schemaVersion, data: current.data };
  } catch (error) {
    throw new UpcastFailedError(envelope.eventId, envelope.type, envelope.schemaVersion, error);
  }
}

const batchAtCurrentVersion = (batch: GlobalBatch): GlobalBatch => ({ ...batch, events: batch.events.map(atCurrentVersion) });

/**
 * The store as everything that folds events reads it (commands, projections, escalations, as-of
 * reads, analytics): each event upcast to its current version on read, as DESIGN.md has it. The
 * log itself is not changed, and the audit routes that show events as stored (the account's
 * events, the export, whose hashes cover the stored payload) read `store` itself.
 */
export function readingCurrentVersions(store: EventStore): EventStore {
  const reads: Partial<EventStore> = {
    readStream: async (streamId, options) => (await store.readStream(streamId, options)).map(atCurrentVersion),
    readAll: async (options) => batchAtCurrentVersion(await store.readAll(options)),
    subscribe: (handler, options) => store.subscribe((batch) => handler(batchAtCurrentVersion(batch)), options),
  };
  return new Proxy(store, {
    get: (target, key, receiver) => (Object.hasOwn(reads, key) ? reads[key as keyof EventStore] : Reflect.get(target, key, receiver)),
  });
}
