import { UpcastFailedError } from './errors';
import type { EventEnvelope } from './event-store.port';

/**
 * Wraps an adapter's `upcast` option so a failure names the event and is an EventStoreError:
 * a subscription then ends with it instead of retrying it as a passing read error.
 */
export function guardedUpcast(upcast?: (event: EventEnvelope) => EventEnvelope): (event: EventEnvelope) => EventEnvelope {
  if (!upcast) return (event) => event;
  return (event) => {
    try {
      return upcast(event);
    } catch (error) {
      throw new UpcastFailedError(event.eventId, event.type, event.schemaVersion, error);
    }
  };
}
