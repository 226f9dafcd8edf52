/** Injection token of the largest import body accepted, in bytes (IMPORT_BODY_LIMIT_BYTES). */
export const IMPORT_BODY_LIMIT = Symbol('IMPORT_BODY_LIMIT');
