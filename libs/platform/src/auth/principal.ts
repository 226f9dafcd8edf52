import { createHash, timingSafeEqual } from 'node:crypto';
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

export const keyIdOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** `Authorization: Bearer <key>` → the key, or undefined when the header is absent or malformed. */
export function bearerTokenOf(header: string | readonly string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = typeof value === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value) : null;
  return match?.[1];
}

/** Compares digests, so the time taken says nothing about how much of a key matched. */
export function principalOf(apiKeys: readonly ApiKey[], token: string): Principal | undefined {
  const digest = createHash('sha256').update(token).digest();
  const roles = apiKeys
    .filter((apiKey) => timingSafeEqual(createHash('sha256').update(apiKey.key).digest(), digest))
    .map((apiKey) => apiKey.role);
  if (roles.length === 0) return undefined;
  const keyId = keyIdOf(token);
  return { roles, keyId, actor: `${[...roles].sort().join('+')}:${keyId}` };
}

export const PRINCIPAL = Symbol('principal');

export function principalOfRequest(request: object): Principal {
  return (request as { [PRINCIPAL]?: Principal })[PRINCIPAL] ?? ANONYMOUS;
}

/** `@CurrentPrincipal() principal: Principal` in a controller, set by the API key guard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOfRequest(context.switchToHttp().getRequest<object>()),
);
