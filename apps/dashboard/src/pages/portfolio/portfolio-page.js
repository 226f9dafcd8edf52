// Portfolio: scorecards over every open account, the rollups per manager and per segment, and
// the accounts ranked by churn risk. Filters live in the URL (#/portfolio?band=red&segment=smb).
import { html, useMemo } from '../../lib/html.js';
import { useApi } from '../../lib/api.js';
import { hrefOf, navigate } from '../../lib/router.js';
import { ErrorBox, Spinner } from '../../lib/ui.js';
import { AtRiskTable, DEFAULT_SORT } from './at-risk-table.js';
import { mainCurrency, matchingCount, portfolioTotals, totalsByKey } from './portfolio-rollups.js';
import { BandSummary, ExpectedLtv, RevenueAtRisk, RollupCard } from './portfolio-summary.js';

/** The table's filters from the URL's query; open accounts and highest risk first by default. */
function filtersOf(query) {
  return {
    band: query.band || undefined,
    managerId: query.manager || undefined,
    segment: query.segment || undefined,
    status: query.status === 'all' ? undefined : query.status || 'open',
    sort: query.sort || DEFAULT_SORT,
  };
}

/** The URL's query for `filters`; defaults are left out so links stay short. */
function queryOf(filters) {
  return {
    band: filters.band,
    manager: filters.managerId,
    segment: filters.segment,
    // An empty status means "every status": it must survive the round trip.
    status: filters.status === 'open' ? undefined : filters.status || 'all',
    sort: filters.sort === DEFAULT_SORT ? undefined : filters.sort,
  };
}

export default function PortfolioPage({ query = {} }) {
  const filters = filtersOf(query);
  const byManager = useApi('/v1/portfolio', { groupBy: 'manager' });
  const bySegment = useApi('/v1/portfolio', { groupBy: 'segment' });

  const rollups = useMemo(() => {
    if (!byManager.data || !bySegment.data) return undefined;
    const totals = portfolioTotals(bySegment.data.items);
    return {
      totals,
      currency: mainCurrency(totals),
      byManager: totalsByKey(byManager.data.items),
      bySegment: totalsByKey(bySegment.data.items),
    };
  }, [byManager.data, bySegment.data]);

  const change = (patch) => {
    navigate(hrefOf('/portfolio', queryOf({ ...filters, ...patch })), { replace: true });
  };
  const filterAndShow = (patch) => {
    change(patch);
    document.querySelector('.at-risk-card')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  const error = byManager.error ?? bySegment.error;

  return html`
    <div class="page portfolio-page" data-testid="portfolio-page">
      <div class="page-header">
        <div>
          <h1 class="page-title">Portfolio</h1>
          <div class="page-subtitle">Health of every open account, by manager and segment</div>
        </div>
      </div>
      <${ErrorBox} error=${error} title="Could not load the portfolio rollups" />
      ${!rollups && !error && html`<${Spinner} label="Loading the portfolio…" />`}
      ${rollups && html`
        <div class="grid kpi-grid">
          <${BandSummary} totals=${rollups.totals} selectedBand=${filters.band} onSelectBand=${(band) => filterAndShow({ band })} />
          <${RevenueAtRisk} totals=${rollups.totals} currency=${rollups.currency} />
          <${ExpectedLtv} totals=${rollups.totals} currency=${rollups.currency} />
        </div>
        <div class="grid grid-2">
          <${RollupCard} title="By manager" testId="portfolio-by-manager" byKey=${rollups.byManager} currency=${rollups.currency}
            selectedKey=${filters.managerId} onSelect=${(managerId) => filterAndShow({ managerId })} />
          <${RollupCard} title="By segment" testId="portfolio-by-segment" byKey=${rollups.bySegment} currency=${rollups.currency}
            selectedKey=${filters.segment} onSelect=${(segment) => filterAndShow({ segment })} />
        </div>`}
      <${AtRiskTable}
        filters=${filters}
        managers=${rollups ? [...rollups.byManager.keys()] : []}
        segments=${rollups ? [...rollups.bySegment.keys()] : []}
        total=${rollups ? matchingCount(filters, rollups) : undefined}
        onChange=${change} />
    </div>`;
}
