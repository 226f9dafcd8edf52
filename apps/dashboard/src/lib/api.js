// The public /v1 API with the key of this browser session. The key stays in sessionStorage and
// in the Authorization header: never in a URL, never in localStorage.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

const KEY_STORAGE = 'ahe.apiKey';
/** Fired on window when the key is set or cleared (the shell shows or hides the key form). */
export const KEY_CHANGED_EVENT = 'ahe:key-changed';

let keyRefusal = '';

/** Why the API last refused the key ('' when it did not): the key form says so. */
export const keyRefusalMessage = () => keyRefusal;

export function getKey() {
  return window.sessionStorage.getItem(KEY_STORAGE) ?? '';
}

export function setKey(key) {
  keyRefusal = '';
  window.sessionStorage.setItem(KEY_STORAGE, key.trim());
  window.dispatchEvent(new Event(KEY_CHANGED_EVENT));
}

export function clearKey(refusal = '') {
  keyRefusal = refusal;
  window.sessionStorage.removeItem(KEY_STORAGE);
  window.dispatchEvent(new Event(KEY_CHANGED_EVENT));
}

/** A non-2xx answer, with the fields of the API's error body. */
export class ApiError extends Error {
  constructor({ status, error, message, code, field, details }) {
    super(message || error || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

/** `path` with the defined, non-empty values of `query` as its search string. */
export function urlOf(path, query = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

async function errorOf(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // Not the API's JSON error shape (a proxy page, an empty body): status text only.
  }
  return new ApiError({
    status: response.status,
    error: body.error ?? response.statusText,
    message: body.message ?? `${response.status} ${response.statusText}`,
    code: body.code,
    field: body.field,
    details: body.details,
  });
}

/** The raw Response of a request with the session's key; throws ApiError unless 2xx. */
export async function apiFetch(path, { method = 'GET', query, body, accept = 'application/json', headers = {}, signal } = {}) {
  const key = getKey();
  const allHeaders = { Accept: accept, ...headers };
  if (key) allHeaders.Authorization = `Bearer ${key}`;
  if (body !== undefined) allHeaders['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(urlOf(path, query), { method, headers: allHeaders, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (cause) {
    if (cause?.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, error: 'Network error', message: `The API did not answer (${cause?.message ?? cause})` });
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401) clearKey(error.message);
    throw error;
  }
  return response;
}

export async function apiGet(path, query, { signal } = {}) {
  const response = await apiFetch(path, { query, signal });
  return response.json();
}

export async function apiPost(path, body, { idempotencyKey, ifMatch } = {}) {
  const headers = {};
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = String(ifMatch);
  const response = await apiFetch(path, { method: 'POST', body: body ?? {}, headers });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export async function apiGetText(path, query, accept = 'text/plain') {
  const response = await apiFetch(path, { query, accept });
  return response.text();
}

/** One page as text plus the cursor of the next one (X-Next-Cursor), for paged CSV. */
export async function apiGetTextPage(path, query, accept = 'text/csv') {
  const response = await apiFetch(path, { query, accept });
  return { text: await response.text(), nextCursor: response.headers.get('X-Next-Cursor') };
}

/**
 * `{ data, error, loading, reload }` of GET `path` with `query`; fetched again when the path,
 * the query (compared as JSON) or `deps` change. A pending answer that is no longer wanted is
 * aborted, so a fast sequence of filter changes cannot show an older answer last.
 */
export function useApi(path, query, deps = []) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: Boolean(path) });
  const [generation, setGeneration] = useState(0);
  const queryJson = JSON.stringify(query ?? {});
  const latest = useRef(0);

  useEffect(() => {
    if (!path) {
      setState({ data: undefined, error: undefined, loading: false });
      return undefined;
    }
    const controller = new AbortController();
    const request = ++latest.current;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    apiGet(path, JSON.parse(queryJson), { signal: controller.signal }).then(
      (data) => request === latest.current && setState({ data, error: undefined, loading: false }),
      (error) => {
        if (error?.name === 'AbortError' || request !== latest.current) return;
        setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [path, queryJson, generation, ...deps]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
