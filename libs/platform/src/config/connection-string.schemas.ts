import { parse as parsePostgresUrl } from 'pg-connection-string';
import { z } from 'zod';
import { stringVar } from './env-value.schemas';

/** Connection strings: secrets, so a message names what is wrong with one and never shows it. */

/**
 * An optional connection string whose scheme must be one of `schemes`; treated as a secret.
 * Only the scheme is checked: cluster strings (esdb://a:2113,b:2113) are not WHATWG URLs.
 */
export function secretUrlVar(schemes: readonly string[]) {
  const expected = schemes.map((scheme) => `${scheme}://`).join(' or ');
  return stringVar((raw, ctx) => {
    if (raw === undefined) return undefined;
    const value = raw.trim();
    const match = /^([a-z][a-z0-9+.-]*):\/\/(.+)$/i.exec(value);
    if (!match || !schemes.includes(match[1]!.toLowerCase())) {
      ctx.addIssue({ code: 'custom', message: `must be a connection string starting with ${expected} (value not shown: it may hold a password)` });
      return z.NEVER;
    }
    return value;
  });
}

/**
 * A PostgreSQL connection string that node-postgres can read, checked with its own parser: a
 * password with an unescaped `#` would otherwise fail only at the first connection.
 */
export function postgresUrlVar() {
  return secretUrlVar(['postgres', 'postgresql']).transform((value, ctx) => {
    if (value === undefined || parsesAsPostgresUrl(value)) return value;
    ctx.addIssue({
      code: 'custom',
      message: 'is not a valid URL: percent-encode reserved characters in the user name and password (`#` as %23, `/` as %2F, `@` as %40) (value not shown: it may hold a password)',
    });
    return z.NEVER;
  });
}

function parsesAsPostgresUrl(value: string): boolean {
  try {
    parsePostgresUrl(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Redis connection string as ioredis reads it (a WHATWG URL): a port out of range or a database
 * that is not a number would otherwise pass here and fail at the first connection, after the
 * database had connected, without the variable's name.
 */
export function redisUrlVar() {
  return secretUrlVar(['redis', 'rediss']).transform((value, ctx) => {
    if (value === undefined) return value;
    const problem = redisUrlProblem(value);
    if (problem === undefined) return value;
    ctx.addIssue({ code: 'custom', message: `${problem} (value not shown: it may hold a password)` });
    return z.NEVER;
  });
}

function redisUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL: check the port (1-65535) and percent-encode reserved characters in the password';
  }
  if (url.hostname === '') return 'names no host';
  const database = url.pathname.replace(/^\//, '');
  if (database !== '' && !/^\d{1,5}$/.test(database)) return 'must name the database by its number after the host, as in redis://host:6379/0';
  return undefined;
}
