import { html } from '../../lib/html.js';
import { Spinner } from '../../lib/ui.js';
import { useElapsedSeconds } from './use-analytics.js';

/** A running replay: spinner, what it does, and the seconds so far (the API reports no progress). */
export function RunStatus({ startedAt, text }) {
  const seconds = useElapsedSeconds(startedAt);
  return html`<div class="models-running">
    <${Spinner} label=${text} />${seconds >= 1 && html`<span class="models-elapsed">${seconds} s</span>`}
  </div>`;
}
