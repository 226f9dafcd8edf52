import { createHash } from 'node:crypto';

const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/;

/**
 * The policy of the dashboard page: everything from this origin only. The one inline script is
 * the import map, allowed by its hash, so no other inline script can run. Inline style
 * attributes are allowed (ECharts writes its tooltips as HTML with style attributes); style
 * elements and sheets still come from this origin only.
 */
export function contentSecurityPolicyOf(indexHtml: string): string {
  const importMap = IMPORT_MAP.exec(indexHtml)?.[1];
  const scriptHash = importMap === undefined ? '' : ` 'sha256-${createHash('sha256').update(importMap, 'utf8').digest('base64')}'`;
  return [
    "default-src 'self'",
    `script-src 'self'${scriptHash}`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
