// The at-risk table: GET /v1/health filtered, sorted and paged by the API (50 rows a page,
// keyset cursors), so it costs the same with 200 accounts or 10,000.
import { html, useState } from '../../lib/html.js';
import { useApi } from '../../lib/api.js';
import { accountHref, navigate } from '../../lib/router.js';
import { BANDS, date, money, num } from '../../lib/format.js';
import { Band, Card, Empty, ErrorBox, Spinner } from '../../lib/ui.js';
import { CsvDownload } from './csv-download.js';

export const PAGE_SIZE = 50;
export const DEFAULT_SORT = '-churnRisk';

/** Sortable columns: the API's sort key, the test id, and the direction a first click picks. */
const SORTS = {
  name: { testId: 'sort-name', firstDescending: false },
  churnRisk: { testId: 'sort-churnRisk', firstDescending: true },
  daysSinceLastContact: { testId: 'sort-daysSinceLastContact', firstDescending: true },
  ltvTotal: { testId: 'sort-ltv', firstDescending: true },
  renewalDate: { testId: 'sort-renewalDate', firstDescending: false },
};
const ARROWS = { up: '↑', flat: '→', down: '↓' };

function SortHeader({ sortKey, label, sort, onSort, numeric }) {
  const active = sort.replace(/^-/, '') === sortKey;
  const descending = sort.startsWith('-');
  const next = active ? (descending ? sortKey : `-${sortKey}`) : `${SORTS[sortKey].firstDescending ? '-' : ''}${sortKey}`;
  return html`
    <th class=${numeric ? 'num' : ''} aria-sort=${active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class=${`sort-button${active ? ' active' : ''}`} data-testid=${SORTS[sortKey].testId} onClick=${() => onSort(next)}>
        ${label}<span class="sort-mark" aria-hidden="true">${active ? (descending ? '▼' : '▲') : '↕'}</span>
      </button>
    </th>`;
}

function RiskCell({ row }) {
  return html`
    <td class="num risk-cell">
      <span class="risk-number">${num(row.churnRisk)}</span>
      <span class="risk-meter" aria-hidden="true"><span class=${`risk-fill band-fill-${row.band}`} style=${{ width: `${Math.min(100, Math.max(0, row.churnRisk))}%` }}></span></span>
    </td>`;
}

function Row({ row }) {
  const open = (event) => {
    if (event.target.closest('a')) return;
    navigate(accountHref(row.accountId));
  };
  const arrow = row.satisfaction?.arrow;
  return html`
    <tr data-testid="at-risk-row" data-account-id=${row.accountId} onClick=${open} class="clickable">
      <td class="account-cell">
        <a href=${accountHref(row.accountId)}>${row.name}</a>
        <div class="muted small">${row.accountId}${row.status === 'open' ? '' : ` · ${row.status}`}</div>
      </td>
      <td><${Band} band=${row.band} /></td>
      <${RiskCell} row=${row} />
      <td class="num">
        ${num(row.satisfaction?.latest)}
        ${arrow && html` <span class=${`sat-arrow sat-arrow-${arrow}`} title=${`Satisfaction trend: ${arrow}`}>${ARROWS[arrow]}</span>`}
      </td>
      <td>${row.segment}</td>
      <td>${row.managerId}</td>
      <td class="num">${row.daysSinceLastContact === null ? '—' : `${num(row.daysSinceLastContact)} d`}</td>
      <td class="num">${money(row.ltv?.total, row.ltv?.currency)}</td>
      <td class="num">${date(row.renewalDate)}</td>
      <td class="num">${num(row.openComplaints)} / ${num(row.overdueInvoices)}</td>
    </tr>`;
}

function Select({ testId, label, value, options, onChange, allLabel }) {
  return html`
    <label class="field">
      ${label}
      <select data-testid=${testId} value=${value} onChange=${(event) => onChange(event.currentTarget.value)}>
        <option value="">${allLabel}</option>
        ${options.map((option) => html`<option value=${option.value ?? option}>${option.label ?? option}</option>`)}
      </select>
    </label>`;
}

/**
 * `filters` ({ band, managerId, segment, status, sort }) live in the URL; `onChange(patch)`
 * writes them there. The stack of cursors is local: it restarts whenever the filter changes.
 */
export function AtRiskTable({ filters, managers, segments, total, onChange }) {
  const filterKey = JSON.stringify(filters);
  const [paging, setPaging] = useState({ filterKey, cursors: [undefined] });
  const [csvError, setCsvError] = useState(undefined);
  const cursors = paging.filterKey === filterKey ? paging.cursors : [undefined];
  const pageIndex = cursors.length - 1;
  const { data, error, loading } = useApi('/v1/health', { ...filters, limit: PAGE_SIZE, cursor: cursors[pageIndex] });

  const rows = data?.items ?? [];
  const first = pageIndex * PAGE_SIZE + 1;
  const range = rows.length === 0 ? 'No rows' : `Rows ${num(first)}–${num(first + rows.length - 1)}${total === undefined ? '' : ` of ${num(total)}`}`;
  const actions = html`<${CsvDownload} filters=${filters} onError=${setCsvError} />`;

  return html`
    <${Card} title="Accounts by churn risk" actions=${actions} class="at-risk-card">
      <div class="filters" role="group" aria-label="Filters">
        <${Select} testId="filter-band" label="Band" value=${filters.band ?? ''} allLabel="All bands"
          options=${BANDS} onChange=${(band) => onChange({ band })} />
        <${Select} testId="filter-manager" label="Manager" value=${filters.managerId ?? ''} allLabel="All managers"
          options=${managers} onChange=${(managerId) => onChange({ managerId })} />
        <${Select} testId="filter-segment" label="Segment" value=${filters.segment ?? ''} allLabel="All segments"
          options=${segments} onChange=${(segment) => onChange({ segment })} />
        <${Select} testId="filter-status" label="Status" value=${filters.status ?? ''} allLabel="Every status"
          options=${[{ value: 'open', label: 'Open' }, { value: 'churned', label: 'Churned' }, { value: 'closed', label: 'Closed' }]} onChange=${(status) => onChange({ status })} />
        ${(filters.band || filters.managerId || filters.segment) && html`
          <button type="button" class="button link clear-filters" onClick=${() => onChange({ band: '', managerId: '', segment: '' })}>Clear filters</button>`}
      </div>
      <${ErrorBox} error=${csvError} title="The CSV could not be prepared" />
      <${ErrorBox} error=${error} title="Could not load the accounts" />
      <div class=${`table-wrap${loading ? ' is-loading' : ''}`}>
        <table class="data at-risk" data-testid="at-risk-table" aria-busy=${loading}>
          <thead>
            <tr>
              <${SortHeader} sortKey="name" label="Account" sort=${filters.sort} onSort=${(sort) => onChange({ sort })} />
              <th>Band</th>
              <${SortHeader} sortKey="churnRisk" label="Churn risk" sort=${filters.sort} onSort=${(sort) => onChange({ sort })} numeric />
              <th class="num">Satisfaction</th>
              <th>Segment</th>
              <th>Manager</th>
              <${SortHeader} sortKey="daysSinceLastContact" label="Last contact" sort=${filters.sort} onSort=${(sort) => onChange({ sort })} numeric />
              <${SortHeader} sortKey="ltvTotal" label="LTV" sort=${filters.sort} onSort=${(sort) => onChange({ sort })} numeric />
              <${SortHeader} sortKey="renewalDate" label="Renewal" sort=${filters.sort} onSort=${(sort) => onChange({ sort })} numeric />
              <th class="num" title="Open complaints / overdue invoices">Compl. / overdue</th>
            </tr>
          </thead>
          <tbody>${rows.map((row) => html`<${Row} key=${row.accountId} row=${row} />`)}</tbody>
        </table>
        ${loading && !data && html`<${Spinner} label="Loading accounts…" />`}
        ${!loading && !error && rows.length === 0 && html`<${Empty} text="No account matches these filters." />`}
      </div>
      <div class="pager">
        <span class="muted" data-testid="page-range">${loading ? 'Loading…' : range}</span>
        <div class="pager-buttons">
          <button type="button" class="button" data-testid="prev-page" disabled=${pageIndex === 0 || loading}
            onClick=${() => setPaging({ filterKey, cursors: cursors.slice(0, -1) })}>← Previous</button>
          <button type="button" class="button" data-testid="next-page" disabled=${!data?.nextCursor || loading}
            onClick=${() => setPaging({ filterKey, cursors: [...cursors, data.nextCursor] })}>Next →</button>
        </div>
      </div>
    <//>`;
}
