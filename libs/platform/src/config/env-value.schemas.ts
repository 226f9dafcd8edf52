import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * Builders for one environment variable each. Every message completes the sentence
 * "<VARIABLE> …", so ConfigError can prefix the variable's name. Values of secret variables
 * (connection strings, keys) are never echoed back.
 */

/** Compose files and shells often set a variable to "" to mean "not set". */
const unsetWhenEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const quoted = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);

/**
 * A variable read as text ("" and unset alike: `undefined`), turned into its value by `read`,
 * which reports what is wrong through `ctx`: the shape every builder below shares.
 */
export function stringVar<T>(read: (raw: string | undefined, ctx: z.RefinementCtx) => T) {
  return z.preprocess(unsetWhenEmpty, z.string().optional().transform(read));
}

export function integerVar(options: { min: number; max: number; default: number; unit?: string }) {
  const unit = options.unit ? ` (${options.unit})` : '';
  const range =
    options.max === Number.MAX_SAFE_INTEGER
      ? `an integer of at least ${options.min}${unit}`
      : `an integer between ${options.min} and ${options.max}${unit}`;
  return stringVar((raw, ctx) => {
    if (raw === undefined) return options.default;
    const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < options.min || value > options.max) {
      ctx.addIssue({ code: 'custom', message: `must be ${range} (got ${quoted(raw)})` });
      return z.NEVER;
    }
    return value;
  });
}

export function enumVar<const Values extends readonly [string, ...string[]]>(values: Values, fallback: Values[number]) {
  return stringVar((raw, ctx): Values[number] => {
    if (raw === undefined) return fallback;
    const value = raw.trim().toLowerCase();
    if (!values.includes(value)) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (got ${quoted(raw)})` });
      return z.NEVER;
    }
    return value;
  });
}

export function booleanVar(fallback: boolean) {
  return enumVar(['0', '1', 'true', 'false'], fallback ? 'true' : 'false').transform((value) => value === '1' || value === 'true');
}

export function textVar(fallback: string) {
  return stringVar((raw) => (raw === undefined ? fallback : raw.trim()));
}

/** An optional path to a file the process must read at start: it must exist, be a file and be readable now, not at first use. */
export function readableFileVar() {
  return textVar('').transform((value, ctx) => {
    if (value === '') return undefined;
    const problem = unreadableFile(value);
    if (problem === undefined) return resolve(value);
    ctx.addIssue({ code: 'custom', message: `must name a readable file (${quoted(value)}: ${problem})` });
    return z.NEVER;
  });
}

/** Why the process cannot read `path` as a file ("no such file", "a folder", ...), or undefined when it can. */
export function unreadableFile(path: string): string | undefined {
  try {
    const found = statSync(path);
    if (found.isDirectory()) return 'a folder';
    if (!found.isFile()) return 'not a regular file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
  }
}

/** An optional PostgreSQL schema name (unquoted identifier), e.g. to isolate a test run. */
export function schemaNameVar() {
  return stringVar((raw, ctx) => {
    if (raw === undefined) return undefined;
    const value = raw.trim();
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `must be a lower-case identifier of up to 63 characters from a-z, 0-9 and "_" (got ${quoted(raw)})` });
      return z.NEVER;
    }
    return value;
  });
}

/** A comma-separated list of http(s) URLs; empty or unset: none. */
export function urlListVar() {
  return stringVar((raw, ctx): readonly string[] => {
    if (raw === undefined) return [];
    const urls = raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
    for (const url of urls) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of http:// or https:// URLs (got ${quoted(url)})` });
        return z.NEVER;
      }
    }
    return [...new Set(urls)];
  });
}

/** An optional secret of at least `minLength` characters; its value is never echoed back. */
export function secretVar(minLength: number) {
  return stringVar((raw, ctx) => {
    if (raw === undefined) return undefined;
    if (raw.length < minLength) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${minLength} characters long (value not shown: it is a secret)` });
      return z.NEVER;
    }
    return raw;
  });
}

/** A BullMQ key prefix: letters, digits, `_` and `-` (a `:` would split Redis key spaces). */
export function queuePrefixVar(fallback: string) {
  return textVar(fallback).transform((value, ctx) => {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `must be 1–64 characters from A-Z, a-z, 0-9, "_" and "-" (got ${quoted(value)})` });
      return z.NEVER;
    }
    return value;
  });
}
