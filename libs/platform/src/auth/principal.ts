import { hash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiKey, ApiRole } from '../config/api-keys.schema';

/** Who sent a request: the roles of its API key and a key id that is safe to log and store. */
export interface Principal {
  readonly roles: readonly ApiRole[];
  /** First 12 hex digits of sha256(key); `anonymous` when the API runs open. */
  readonly keyId: string;
  /** `role:keyId` as recorded in event metadata (`actor`). */
  readonly actor: string;
}

export const ANONYMOUS: Principal = Object.freeze({ roles: ['admin'] as const, keyId: 'anonymous', actor: 'anonymous' });

const DIGEST = Symbol('bearerDigest');

/**
 * sha256 of a bearer token in hex, computed once per request when the request is given: the
 * rate limiter keys on it and the API key guard looks the key up by it.
 */
export function tokenDigestOf(token: string, request?: object): string {
  const memo = request as { [DIGEST]?: { readonly token: string; readonly hex: string } } | undefined;
  const seen = memo?.[DIGEST];
  if (seen !== undefined && seen.token === token) return seen.hex;
  // The one-shot hash(): createHash() costs several times as much for a key this short.
  const hex = hash('sha256', token, 'hex');
  if (memo !== undefined) memo[DIGEST] = { token, hex };
  return hex;
}

export const keyIdOf = (key: string, request?: object): string => tokenDigestOf(key, request).slice(0, 12);

/** `Authorization: Bearer <key>` → the key, or undefined when the header is absent or malformed. */
export function bearerTokenOf(header: string | readonly string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = typeof value === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value) : null;
  return match?.[1];
}

const principalsOf = new WeakMap<readonly ApiKey[], ReadonlyMap<string, Principal>>();

/** The configured keys by the hex sha256 of the key, each with the roles it was listed under. */
function principalsByDigest(apiKeys: readonly ApiKey[]): ReadonlyMap<string, Principal> {
  let principals = principalsOf.get(apiKeys);
  if (principals) return principals;
  const rolesByDigest = new Map<string, ApiRole[]>();
  for (const apiKey of apiKeys) {
    const digest = tokenDigestOf(apiKey.key);
    rolesByDigest.set(digest, [...(rolesByDigest.get(digest) ?? []), apiKey.role]);
  }
  principals = new Map(
    [...rolesByDigest].map(([digest, roles]) => {
      const keyId = digest.slice(0, 12);
      return [digest, Object.freeze({ roles: Object.freeze(roles), keyId, actor: `${[...roles].sort().join('+')}:${keyId}` })];
    }),
  );
  principalsOf.set(apiKeys, principals);
  return principals;
}

/**
 * Looks the key up by its sha256, never by the key itself, so the time taken says nothing
 * about how much of a key matched. With `request`, a digest the rate limiter made is reused.
 */
export function principalOf(apiKeys: readonly ApiKey[], token: string, request?: object): Principal | undefined {
  return principalsByDigest(apiKeys).get(tokenDigestOf(token, request));
}

export const PRINCIPAL = Symbol('principal');

export function principalOfRequest(request: object): Principal {
  return (request as { [PRINCIPAL]?: Principal })[PRINCIPAL] ?? ANONYMOUS;
}

/** `@CurrentPrincipal() principal: Principal` in a controller, set by the API key guard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOfRequest(context.switchToHttp().getRequest<object>()),
);
