/** Media types the read routes can answer with. */
export type ResponseFormat = 'json' | 'csv';

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly q: number;
}

function mediaRangesOf(accept: string): MediaRange[] {
  return accept.split(',').flatMap((part) => {
    const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q }] : [];
  });
}

/** How much the client wants `type/subtype`: the q of the most specific range that covers it, and that specificity. */
function preferenceFor(ranges: readonly MediaRange[], type: string, subtype: string): { q: number; specificity: number } {
  let best = { q: 0, specificity: -1 };
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1;
    if (specificity > best.specificity) best = { q: range.q, specificity };
  }
  return best;
}

/**
 * RFC 9110 content negotiation between JSON (the default: no Accept, `*∕*`, a tie) and CSV,
 * which a client gets by asking for `text/csv` more than for JSON.
 */
export function negotiateFormat(accept: string | undefined): ResponseFormat {
  if (!accept) return 'json';
  const ranges = mediaRangesOf(accept);
  const csv = preferenceFor(ranges, 'text', 'csv');
  const json = preferenceFor(ranges, 'application', 'json');
  if (csv.q <= 0) return 'json';
  if (csv.q !== json.q) return csv.q > json.q ? 'csv' : 'json';
  return csv.specificity > json.specificity ? 'csv' : 'json';
}
