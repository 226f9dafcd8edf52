import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const DASHBOARD_INDEX = join('apps', 'dashboard', 'index.html');

/**
 * The folder of the dashboard's page (index.html and src/). Its files are served as written (no
 * build step), so it is found by walking up from this file: the same code finds it from
 * apps/api/src (tests) and from dist/apps/api/src (builds).
 */
export function dashboardFolder(from: string = __dirname): string {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, DASHBOARD_INDEX))) return join(folder, 'apps', 'dashboard');
    if (dirname(folder) === folder) throw new Error(`no ${DASHBOARD_INDEX} found in ${from} or any folder above it`);
  }
}

/**
 * The browser libraries, by the path they have under /assets/vendor/ (the page's import map),
 * resolved through each package's exports so they come from whichever node_modules Node would
 * load them from. Only these files are served from node_modules.
 */
export function vendorFiles(): ReadonlyMap<string, string> {
  return new Map([
    ['preact/preact.mjs', require.resolve('preact')],
    ['preact/hooks.mjs', require.resolve('preact/hooks')],
    // htm's "require" export is its CommonJS build; the ES module sits beside it.
    ['htm/htm.mjs', join(dirname(require.resolve('htm')), 'htm.mjs')],
    ['echarts/echarts.esm.min.mjs', require.resolve('echarts/dist/echarts.esm.min.mjs')],
  ]);
}
