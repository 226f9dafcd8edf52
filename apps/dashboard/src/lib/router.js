// Hash routing: `#/path?x=1` survives reload and can be linked; no server routes needed.

/** The current route: `path` ('/portfolio', '/accounts/a-1') and `query` (a plain object). */
export function currentRoute(hash = window.location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const questionAt = raw.indexOf('?');
  const path = questionAt === -1 ? raw : raw.slice(0, questionAt);
  const query = Object.fromEntries(new URLSearchParams(questionAt === -1 ? '' : raw.slice(questionAt + 1)));
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

/** A hash for `path` and `query`, dropping empty values so links stay short. */
export function hrefOf(path, query = {}) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

/** Goes to `hash` ('#/accounts/a-1' or '/accounts/a-1'); `replace` keeps the history short for filter changes. */
export function navigate(hash, { replace = false } = {}) {
  const target = hash.startsWith('#') ? hash : `#${hash}`;
  if (target === window.location.hash) return;
  if (replace) {
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

/** The link to an account's page. */
export const accountHref = (accountId) => `#/accounts/${encodeURIComponent(accountId)}`;
