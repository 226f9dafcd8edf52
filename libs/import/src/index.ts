export { importNdjson, type ImportOptions, type ImportProgress, type ImportResult } from './event-importer';
export { ImportConflictError, InvalidImportLineError } from './import.errors';
export { parseImportLine, type ImportLine } from './import-line.parser';
export { importsInOneTransaction } from './one-transaction-import';
export { NDJSON_PIECE_BYTES, numberedLines, type NdjsonSource, type NumberedLine } from './ndjson-lines';
