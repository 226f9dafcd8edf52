export { verifyReplay, type ReplayProgress, type ReplayVerifyOptions } from './replay-verify';
export { COMPARE_EVERYTHING, type NotCompared, type ReplayComparison } from './replay-comparison';
export { ReplayInterruptedError, ReplayVerifyBusyError } from './replay-errors';
export { formatReplayReport } from './replay-report.format';
export { existingScratchTables, scratchTableNames } from './scratch-tables';
export type {
  DifferingColumn, DifferingRow, Listed, ParkedDiff, ParkedRecord, ProjectionVerdict, ReplayVerifyReport, TableDiff, UnmatchedRow,
} from './replay-report';
