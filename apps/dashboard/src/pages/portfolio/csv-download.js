// The CSV of the table's current filter and sort, every page of it, fetched with the key in the
// Authorization header (never in a URL) and handed to the browser as a Blob.
import { html, useState } from '../../lib/html.js';
import { apiGetTextPage } from '../../lib/api.js';
import { num } from '../../lib/format.js';

const CSV_PAGE_SIZE = 1000;

/** Every page of GET /v1/health as CSV, the header row once; `onProgress(rows)` after each page. */
export async function fetchHealthCsv(filters, onProgress) {
  let header = '';
  const bodies = [];
  let rows = 0;
  let cursor;
  do {
    const page = await apiGetTextPage('/v1/health', { ...filters, limit: CSV_PAGE_SIZE, cursor }, 'text/csv');
    // Each page is a header row and records, every line ending in CRLF (RFC 4180).
    const headerEnd = page.text.indexOf('\r\n') + 2;
    header ||= page.text.slice(0, headerEnd);
    const body = page.text.slice(headerEnd);
    bodies.push(body);
    rows += body.split('\r\n').length - 1;
    onProgress?.(rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { csv: header + bodies.join(''), rows };
}

function saveFile(text, fileName) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileNameOf(filters) {
  const parts = ['accounts', filters.band, filters.managerId, filters.segment, filters.status].filter(Boolean);
  return `${parts.join('-').replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().slice(0, 10)}.csv`;
}

export function CsvDownload({ filters, onError }) {
  const [progress, setProgress] = useState(undefined);
  const download = async () => {
    setProgress(0);
    try {
      const { csv } = await fetchHealthCsv(filters, setProgress);
      saveFile(csv, fileNameOf(filters));
    } catch (error) {
      onError(error);
    } finally {
      setProgress(undefined);
    }
  };
  const busy = progress !== undefined;
  return html`
    <button type="button" class="button" data-testid="csv-download" disabled=${busy} onClick=${download}
      title="Download every row of the current filter as CSV">
      ${busy ? `Preparing CSV… ${num(progress)} rows` : 'Download CSV'}
    </button>`;
}
