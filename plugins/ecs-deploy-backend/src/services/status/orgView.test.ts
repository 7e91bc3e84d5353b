import {
  orgStatusQuerySchema,
  OrgServiceRow,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { pagesInCatalog, selectOrgRows } from './orgView';

const row = (
  name: string,
  owner: string,
  prod: OrgServiceRow['environments'][string]['health'],
  lag: OrgServiceRow['lags'][number]['state'],
): OrgServiceRow => ({
  entityRef: `component:default/${name}`,
  title: name,
  owner,
  environments: {
    staging: { health: 'healthy', images: [] },
    prod: { health: prod, images: [] },
  },
  lags: [
    { from: 'staging', to: 'prod', state: lag, lagging: lag === 'behind' },
  ],
});
const rows = [
  row('payments-api', 'group:default/team-payments', 'healthy', 'behind'),
  row('checkout-web', 'group:default/team-payments', 'healthy', 'level'),
  row('search-api', 'group:default/team-search', 'failed', 'level'),
  row(
    'search-indexer',
    'group:default/team-search',
    'not-deployed',
    'not-deployed',
  ),
];
const select = (query: Record<string, string>) =>
  selectOrgRows(rows, orgStatusQuerySchema.parse(query), 'prod');
const names = (r: { rows: OrgServiceRow[] }) => r.rows.map(x => x.title);

describe('selectOrgRows', () => {
  it('sorts by name by default and pages', () => {
    expect(names(select({}))).toEqual([
      'checkout-web',
      'payments-api',
      'search-api',
      'search-indexer',
    ]);
    expect(select({ offset: '1', limit: '2' })).toMatchObject({ total: 4 });
    expect(names(select({ offset: '1', limit: '2' }))).toEqual([
      'payments-api',
      'search-api',
    ]);
  });
  it('filters by team, lag, health and name', () => {
    expect(names(select({ team: 'group:default/team-search' }))).toEqual([
      'search-api',
      'search-indexer',
    ]);
    expect(names(select({ lag: 'behind' }))).toEqual(['payments-api']);
    expect(names(select({ health: 'failed' }))).toEqual(['search-api']);
    expect(names(select({ q: 'SEARCH-i' }))).toEqual(['search-indexer']);
    expect(select({ q: 'nothing' })).toEqual({ total: 0, rows: [] });
  });
  it('sorts worst health and most lag first, ties by name, and reverses', () => {
    expect(names(select({ sort: 'health' }))).toEqual([
      'search-api',
      'search-indexer',
      'checkout-web',
      'payments-api',
    ]);
    expect(names(select({ sort: 'lag' }))[0]).toBe('payments-api');
    expect(names(select({ sort: 'team', order: 'desc' }))[0]).toMatch(
      /^search/,
    );
  });
});

describe('pagesInCatalog', () => {
  const inCatalog = (query: Record<string, string>) =>
    pagesInCatalog(orgStatusQuerySchema.parse(query));
  it('lets the catalog page by name (of a team, a search) and by team, in either order', () => {
    expect(inCatalog({})).toBe(true);
    expect(
      inCatalog({ team: 'group:default/a', q: 'pay', order: 'desc' }),
    ).toBe(true);
    expect(inCatalog({ sort: 'team', order: 'desc' })).toBe(true);
    expect(inCatalog({ sort: 'team', team: 'group:default/a' })).toBe(true);
  });
  it('chooses among every entity for an order by team with a search, by health or lag and a state filter', () => {
    const queries: Record<string, string>[] = [
      { sort: 'team', q: 'pay' },
      { sort: 'health' },
      { sort: 'lag' },
      { health: 'failed' },
      { lag: 'behind' },
    ];
    for (const query of queries) {
      expect(inCatalog(query)).toBe(false);
    }
  });
});
