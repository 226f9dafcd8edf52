import { startApi, type Backend, type RunningApi } from '../api-harness';

export const AS_OF_KEYS = { writer: 'w-asof-1', analyst: 'a-asof-1', auditor: 'u-asof-1', admin: 'root-asof-1' } as const;
export type KeyRole = keyof typeof AS_OF_KEYS;

export const API_KEYS_ENV = { API_KEYS: Object.entries(AS_OF_KEYS).map(([role, key]) => `${role}:${key}`).join(',') };

/**
 * The api process as startApi builds it; `projections` adds the projection role, as the
 * embedded default runs it, so the live routes have read models to compare with.
 */
export function startAsOfApi(backend: Backend, env: Record<string, string> = {}, { projections = true } = {}): Promise<RunningApi> {
  return startApi(backend, env, { roles: projections ? ['http', 'projections'] : ['http'] });
}

/** Requests of one role's key against the running API. */
export function as(api: RunningApi, role: KeyRole) {
  const auth = `Bearer ${AS_OF_KEYS[role]}`;
  return {
    get: (path: string) => api.http().get(path).set('Authorization', auth),
    post: (path: string, body: object) => api.http().post(path).set('Authorization', auth).send(body),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
