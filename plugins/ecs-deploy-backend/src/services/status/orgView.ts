/*
 * The organisation-wide view's filters, order and paging over service rows. Pure.
 */
import {
  HealthState,
  LagState,
  OrgServiceRow,
  ParsedOrgStatusQuery as Query,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** Worst first when sorting by health. */
const HEALTH_ORDER: HealthState[] = [
  'failed',
  'degraded',
  'unknown',
  'progressing',
  'not-deployed',
  'healthy',
];
/** Most in need of a promotion first when sorting by lag. */
const LAG_ORDER: LagState[] = ['behind', 'unknown', 'not-deployed', 'level'];

const nameOf = (row: OrgServiceRow) =>
  (row.title ?? row.entityRef).toLocaleLowerCase('en-US');
/** The health that matters for a row: the first promotion path's target, else the last environment. */
export function rowHealth(
  row: OrgServiceRow,
  target: string | undefined,
): HealthState {
  return (target && row.environments[target]?.health) || 'not-deployed';
}
const rowLag = (row: OrgServiceRow): LagState =>
  row.lags[0]?.state ?? 'unknown';

/**
 * Whether the query filters or sorts by the services' states (health, lag). When it does not,
 * the page is chosen by the entities alone (name, title, owner) and only its services' states are
 * read: what the org view opens with, however many services the organisation has.
 */
export function needsStates(query: Query): boolean {
  return (
    !!query.lag ||
    !!query.health ||
    query.sort === 'health' ||
    query.sort === 'lag'
  );
}

/**
 * Whether the catalog can choose the page itself: the org view then reads the page's entities
 * only. By name (of a team, matching a search), or by team (of a team): the catalog orders by one
 * field only, so a page by team is placed by the owners' counts (the catalog's facets) and read
 * team by team by name. The facets cannot count a name search, so an order by team with a
 * search chooses among every entity; so do health and lag, which are states, not catalog fields.
 */
export function pagesInCatalog(query: Query): boolean {
  if (needsStates(query)) return false;
  return query.sort === 'name' || (query.sort === 'team' && !query.q?.trim());
}

/** Filters (team, lag, health, name search), sorts (name, team, health, lag) and pages. */
export function selectOrgRows<R extends OrgServiceRow>(
  rows: R[],
  query: Query,
  target: string | undefined,
): { total: number; rows: R[] } {
  const needle = query.q?.trim().toLocaleLowerCase('en-US');
  const matching = rows.filter(
    row =>
      (!query.team || row.owner === query.team) &&
      (!query.lag || rowLag(row) === query.lag) &&
      (!query.health || rowHealth(row, target) === query.health) &&
      (!needle ||
        nameOf(row).includes(needle) ||
        row.entityRef.includes(needle)),
  );
  const key = (row: OrgServiceRow): [number | string, string] => {
    switch (query.sort) {
      case 'team':
        return [row.owner, nameOf(row)];
      case 'health':
        return [HEALTH_ORDER.indexOf(rowHealth(row, target)), nameOf(row)];
      case 'lag':
        return [LAG_ORDER.indexOf(rowLag(row)), nameOf(row)];
      default:
        return [nameOf(row), row.entityRef];
    }
  };
  const direction = query.order === 'desc' ? -1 : 1;
  const sorted = [...matching].sort((a, b) => {
    const [ka, ta] = key(a);
    const [kb, tb] = key(b);
    if (ka !== kb) return (ka < kb ? -1 : 1) * direction;
    return ta.localeCompare(tb);
  });
  return {
    total: sorted.length,
    rows: sorted.slice(query.offset, query.offset + query.limit),
  };
}
