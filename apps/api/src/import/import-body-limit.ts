/** Injection token of the largest import body accepted, in bytes. */
export const IMPORT_BODY_LIMIT = Symbol('IMPORT_BODY_LIMIT');

const MIB = 1024 * 1024;
export const DEFAULT_IMPORT_BODY_LIMIT_BYTES = 256 * MIB;
const MAX_IMPORT_BODY_LIMIT_BYTES = 4096 * MIB;

/**
 * IMPORT_BODY_LIMIT_BYTES, separate from BODY_LIMIT_BYTES (JSON commands): an import holds
 * about its own size in memory while it is validated (libs/import/README.md).
 * TODO(platform): move into the environment schema of libs/platform with the other variables.
 */
export function importBodyLimitFrom(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.IMPORT_BODY_LIMIT_BYTES?.trim();
  if (raw === undefined || raw === '') return DEFAULT_IMPORT_BODY_LIMIT_BYTES;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1024 || value > MAX_IMPORT_BODY_LIMIT_BYTES) {
    throw new Error(
      `Invalid configuration: IMPORT_BODY_LIMIT_BYTES must be an integer number of bytes from 1024 to ${MAX_IMPORT_BODY_LIMIT_BYTES}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
