import { createHash } from 'node:crypto';
import { MAX_READ_ALL_LIMIT } from '@ahe/event-store';
import type { ProjectionDefinition } from '../projection.definition';

/** PostgreSQL truncates identifiers past 63 bytes; `__g` and up to 6 digits must still fit. */
const MAX_LOGICAL_NAME = 63 - '__g999999'.length;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** The table of one generation: `account_health__g3`. */
export function physicalName(table: string, generation: number): string {
  return `${table}__g${generation}`;
}

/**
 * Refuses definitions the engine could not keep apart: names are spliced into SQL as
 * identifiers, so they must be plain lower-case ones, and no two projections may claim a table.
 */
export function assertValidDefinitions(definitions: readonly ProjectionDefinition[]): void {
  const projections = new Set<string>();
  const tables = new Map<string, string>();
  for (const definition of definitions) {
    if (!IDENTIFIER.test(definition.name)) throw new Error(`projection name ${JSON.stringify(definition.name)} is not a lower-case SQL identifier`);
    if (projections.has(definition.name)) throw new Error(`projection ${definition.name} is defined twice`);
    projections.add(definition.name);
    if (definition.tables.length === 0) throw new Error(`projection ${definition.name} has no table`);
    for (const table of definition.tables) {
      if (!IDENTIFIER.test(table.name) || table.name.length > MAX_LOGICAL_NAME) {
        throw new Error(`table ${JSON.stringify(table.name)} of ${definition.name}: a lower-case SQL identifier of at most ${MAX_LOGICAL_NAME} characters`);
      }
      const claimed = tables.get(table.name);
      if (claimed) throw new Error(`table ${table.name} belongs to both ${claimed} and ${definition.name}`);
      tables.set(table.name, definition.name);
    }
    if (definition.batchSize !== undefined) assertBatchSize(`batchSize of ${definition.name}`, definition.batchSize);
  }
}

/**
 * A batch is one read of the log, and `readAll` returns at most MAX_READ_ALL_LIMIT events: a
 * larger size would have every read rejected, the runner restarted with backoff, and the
 * projection never move (a rebuild with batches of 50,000 sat so for an hour).
 */
export function assertBatchSize(what: string, size: number): void {
  if (!(Number.isSafeInteger(size) && size >= 1 && size <= MAX_READ_ALL_LIMIT)) {
    throw new Error(`${what} must be an integer from 1 to ${MAX_READ_ALL_LIMIT} (the most one read of the log returns), not ${size}`);
  }
}

/**
 * The advisory lock of a projection. Advisory locks are per database, so the schema is part of
 * the key: engines on two schemas of one database (tests, tenants) must not block each other.
 */
export function projectionLockKey(schema: string, name: string): bigint {
  const digest = createHash('sha256').update(`ahe.projection:${schema}.${name}`).digest();
  return digest.readBigInt64BE(0);
}
