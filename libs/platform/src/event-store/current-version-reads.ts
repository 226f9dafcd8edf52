import { currentSchemaVersion, isAccountEventType, upcast } from '@ahe/events';
import {
  UpcastFailedError, type EventEnvelope, type EventStore, type GlobalBatch, type ReadAllOptions, type ReadStreamOptions, type SubscribeOptions,
} from '@ahe/event-store';

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

/** The events at their current versions: the same array when none was older, as nearly always. */
function eventsAtCurrentVersion<Events extends readonly EventEnvelope[]>(events: Events): Events {
  let lifted: EventEnvelope[] | undefined;
  events.forEach((event, index) => {
    const current = atCurrentVersion(event);
    if (lifted) lifted.push(current);
    else if (current !== event) lifted = [...events.slice(0, index), current];
  });
  return (lifted ?? events) as Events;
}

const batchAtCurrentVersion = (batch: GlobalBatch): GlobalBatch => {
  const events = eventsAtCurrentVersion(batch.events);
  return events === batch.events ? batch : { ...batch, events };
};

/**
 * The store as everything that folds events reads it (commands, projections, escalations, as-of
 * reads, analytics): each event upcast to its current version on read, as DESIGN.md has it. The
 * log itself is not changed, and the audit routes that show events as stored (the account's
 * events, the export, whose hashes cover the stored payload) read `store` itself.
 */
export function readingCurrentVersions(store: EventStore): EventStore {
  const upcasting: Readonly<Record<PropertyKey, unknown>> = {
    readStream: async (streamId: string, options?: ReadStreamOptions) => eventsAtCurrentVersion(await store.readStream(streamId, options)),
    readAll: async (options?: ReadAllOptions) => batchAtCurrentVersion(await store.readAll(options)),
    subscribe: (handler: (batch: GlobalBatch) => Promise<void>, options?: SubscribeOptions) =>
      store.subscribe((batch) => handler(batchAtCurrentVersion(batch)), options),
  };
  // A read assigned here (a spy, a fault injected by a spec) replaces the upcasting one for this
  // view only; deleting it brings that back. On the store itself it would call itself for ever.
  const reads: Record<PropertyKey, unknown> = { ...upcasting };
  return new Proxy(store, {
    get: (target, key, receiver) => (Object.hasOwn(reads, key) ? reads[key] : Reflect.get(target, key, receiver)),
    set: (target, key, value, receiver) => (Object.hasOwn(upcasting, key) ? ((reads[key] = value), true) : Reflect.set(target, key, value, receiver)),
    deleteProperty: (target, key) => (Object.hasOwn(upcasting, key) ? ((reads[key] = upcasting[key]), true) : Reflect.deleteProperty(target, key)),
  });
}
