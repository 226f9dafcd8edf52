export * from './event-store.port';
export * from './errors';
export { ChainVerifier, chainHash, GENESIS_HASH } from './hash-chain';
export { prepareBatch, sealBatch, assertStreamId, type SealedEvent } from './sealed-batch';
export { PollingSubscription, type LogSource } from './polling-subscription';
export { SqlEventStore, type SqlEventStoreOptions } from './sql/sql-event-store';
export { openEventStore, eventStoreOn, type EventStoreConfig } from './open-event-store';
export { formatCheckpoint, parseCheckpoint, compareCheckpoints } from './checkpoint';
export * from './eventstoredb';
