// The shell: key form, top bar and hash router. Each page is imported when its route is first
// opened, so a page that fails to load breaks its own route only.
import { Component } from 'preact';
import { html, render, useEffect, useState } from './lib/html.js';
import { clearKey, getKey, KEY_CHANGED_EVENT, keyRefusalMessage, setKey } from './lib/api.js';
import { accountHref, currentRoute, navigate } from './lib/router.js';
import { ErrorBox, Spinner } from './lib/ui.js';

const PAGES = {
  portfolio: () => import('./pages/portfolio/portfolio-page.js'),
  account: () => import('./pages/account/account-page.js'),
  models: () => import('./pages/models/models-page.js'),
};
const loadedPages = new Map();

/** Which page a path shows, and its props beyond `query`. */
function pageOf(path) {
  if (path === '/' || path === '/portfolio') return { name: 'portfolio', props: {} };
  if (path === '/models') return { name: 'models', props: {} };
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account) return { name: 'account', props: { accountId: decodeURIComponent(account[1]) } };
  return { name: undefined, props: {} };
}

function loadPage(name) {
  if (!loadedPages.has(name)) {
    // A failed import is forgotten, so opening the route again retries it.
    const loading = PAGES[name]().catch((error) => {
      loadedPages.delete(name);
      throw error;
    });
    loadedPages.set(name, loading);
  }
  return loadedPages.get(name);
}

function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function useKey() {
  const [key, setKeyState] = useState(getKey());
  useEffect(() => {
    const onChange = () => setKeyState(getKey());
    window.addEventListener(KEY_CHANGED_EVENT, onChange);
    return () => window.removeEventListener(KEY_CHANGED_EVENT, onChange);
  }, []);
  return key;
}

/** Keeps a page's render error inside its route: the shell and the other pages keep working. */
class PageBoundary extends Component {
  constructor(props) {
    super(props);
    this.state = { error: undefined };
  }

  componentDidCatch(error) {
    this.setState({ error });
  }

  componentDidUpdate(previous) {
    if (previous.routeKey !== this.props.routeKey && this.state.error) this.setState({ error: undefined });
  }

  render() {
    if (this.state.error) return html`<${ErrorBox} error=${this.state.error} title="This page failed" />`;
    return this.props.children;
  }
}

function RoutedPage({ route }) {
  const { name, props } = pageOf(route.path);
  const [loaded, setLoaded] = useState({ name: undefined, Page: undefined, error: undefined });

  useEffect(() => {
    if (!name) return undefined;
    let current = true;
    loadPage(name).then(
      (module) => current && setLoaded({ name, Page: module.default, error: undefined }),
      (error) => current && setLoaded({ name, Page: undefined, error }),
    );
    return () => {
      current = false;
    };
  }, [name]);

  if (!name) {
    return html`<div class="page"><${ErrorBox} title="No such page" error=${{ message: `Nothing at #${route.path}. Try the Portfolio.` }} /></div>`;
  }
  if (loaded.name !== name) return html`<${Spinner} label="Opening the page…" />`;
  if (loaded.error || !loaded.Page) {
    return html`<${ErrorBox} title="This page could not be loaded" error=${loaded.error ?? { message: 'The page module has no default export' }} />`;
  }
  const Page = loaded.Page;
  const routeKey = `${route.path}`;
  return html`<${PageBoundary} routeKey=${routeKey}><${Page} key=${routeKey} query=${route.query} ...${props} /><//>`;
}

function KeyForm() {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (value.trim()) setKey(value);
  };
  return html`
    <main class="key-screen">
      <form class="key-form card" data-testid="key-form" onSubmit=${submit}>
        <h1>Account Health</h1>
        <p>Enter your API key. It stays in this browser tab (session storage) and is sent as <code>Authorization: Bearer</code> to the public API only.</p>
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" spellcheck="false" data-testid="key-input"
          value=${value} onInput=${(event) => setValue(event.currentTarget.value)} autofocus />
        ${keyRefusalMessage() && html`<div class="error-box" role="alert" data-testid="key-refused">The API refused the key: ${keyRefusalMessage()}</div>`}
        <button type="submit" class="button primary" data-testid="key-submit" disabled=${!value.trim()}>Open the dashboard</button>
      </form>
    </main>`;
}

function AccountSearch() {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    const accountId = value.trim();
    if (!accountId) return;
    setValue('');
    navigate(accountHref(accountId));
  };
  return html`
    <form class="account-search" role="search" onSubmit=${submit}>
      <input type="search" placeholder="Open account by id…" aria-label="Open an account by id" data-testid="account-search"
        value=${value} onInput=${(event) => setValue(event.currentTarget.value)} />
    </form>`;
}

function TopBar({ route }) {
  const { name } = pageOf(route.path);
  const link = (page, label, href, testId) => html`
    <a href=${href} class=${`nav-link${name === page ? ' active' : ''}`} data-testid=${testId}
      aria-current=${name === page ? 'page' : undefined}>${label}</a>`;
  return html`
    <header class="topbar">
      <a class="brand" href="#/" aria-label="Account Health: portfolio"><span class="brand-mark" aria-hidden="true"></span><span class="brand-name">Account Health</span></a>
      <nav class="nav">
        ${link('portfolio', 'Portfolio', '#/portfolio', 'nav-portfolio')}
        ${link('models', 'Models', '#/models', 'nav-models')}
      </nav>
      <${AccountSearch} />
      <div class="session">
        <span class="signed-in" data-testid="signed-in-as" title="The API key is kept for this browser tab only">key set</span>
        <button type="button" class="button link" data-testid="sign-out" onClick=${() => clearKey()}>Sign out</button>
      </div>
    </header>`;
}

function App() {
  const key = useKey();
  const route = useRoute();
  if (!key) return html`<${KeyForm} />`;
  return html`
    <${TopBar} route=${route} />
    <main class="content"><${RoutedPage} route=${route} /></main>`;
}

const root = document.getElementById('app');
// Preact keeps what the container holds; the boot message must go.
root.textContent = '';
render(html`<${App} />`, root);
