export { countsAsOf, instantOnAxis, type AsOfInstant } from './as-of-filter';
export { accountHealthAsOf, foldAccountAsOf, type AccountAsOf, type AccountHealthAsOf, type AsOfTailBounds } from './account-as-of';
export { snapshotFor, snapshotServes, takeSnapshots, type AccountSnapshot } from './account-snapshots';
export { BrokenStreamError } from './broken-stream.error';
export { LtvLogIndex, type LtvObservationsAsOf } from './ltv-log-index';
