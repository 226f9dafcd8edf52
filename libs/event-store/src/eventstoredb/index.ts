export { EventStoreDbEventStore, type EventStoreDbOptions } from './eventstoredb-event-store';
export { openEventStoreDb, type OpenEventStoreDbOptions } from './open-eventstoredb';
