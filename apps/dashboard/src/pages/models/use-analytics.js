import { useEffect, useState } from '../../lib/html.js';
import { apiGet } from '../../lib/api.js';

/**
 * One analytics request, re-sent when `key` changes (its query, or a run counter for "run again").
 * The answers replay the whole log and take seconds, so an answer that arrives after a newer
 * request was sent is dropped rather than shown under the newer controls; a failed run clears the
 * old answer so a figure is never shown for parameters it was not computed for.
 */
export function useAnalytics(path, query, key) {
  const [state, setState] = useState({ data: null, error: null, loading: true, startedAt: Date.now() });
  useEffect(() => {
    let current = true;
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, error: null, loading: true, startedAt: Date.now() }));
    getWhenFree(path, query, controller.signal).then(
      (data) => current && setState({ data, error: null, loading: false, startedAt: null }),
      (error) => current && setState({ data: null, error, loading: false, startedAt: null }),
    );
    return () => {
      current = false;
      controller.abort();
    };
  }, [path, key]);
  return state;
}

/** Attempts at a question the API refuses while another replay runs (503 BACKTEST_BUSY). */
const BUSY_ATTEMPTS = 6;

/**
 * apiGet, waiting out a busy answer as the API asks (`details.retryAfterSeconds`): the API runs
 * one replay at a time, and another tab or analyst may hold it.
 */
async function getWhenFree(path, query, signal) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apiGet(path, query, { signal });
    } catch (error) {
      if (error?.code !== 'BACKTEST_BUSY' || attempt === BUSY_ATTEMPTS) throw error;
      const seconds = Number(error.details?.retryAfterSeconds) || 5;
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, seconds * 1000);
        signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      });
    }
  }
}

/** Whole seconds since `startedAt`, ticking while it is set: the progress a long replay can honestly show. */
export function useElapsedSeconds(startedAt) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!startedAt) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt ? Math.max(0, Math.floor((now - startedAt) / 1000)) : 0;
}
