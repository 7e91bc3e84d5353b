import { terraformImportsOf } from './adoption';

const item = (
  serviceName: string,
  status: 'pending' | 'adopted' | 'already-adopted' | 'failed',
  owner = 'group:default/team-payments',
  environments = ['staging', 'prod'],
) => ({ serviceName, status, owner, environments });

describe('terraformImportsOf', () => {
  it('groups the adopted services by owner and environments, in the job’s order, and fills in the import form', () => {
    const imports = terraformImportsOf([
      item('billing', 'adopted'),
      item('ledger', 'failed'),
      item('search-api', 'adopted', 'group:default/team-search'),
      item('orders', 'pending'),
      item('cart-api', 'already-adopted'),
      item('cron', 'adopted', 'group:default/team-payments', ['staging']),
    ]);
    expect(imports.map(({ path, ...rest }) => rest)).toEqual([
      {
        owner: 'group:default/team-payments',
        environments: ['staging', 'prod'],
        names: ['billing', 'cart-api'],
      },
      {
        owner: 'group:default/team-search',
        environments: ['staging', 'prod'],
        names: ['search-api'],
      },
      {
        owner: 'group:default/team-payments',
        environments: ['staging'],
        names: ['cron'],
      },
    ]);
    const url = new URL(imports[0].path, 'http://app');
    expect(url.pathname).toBe('/create/templates/default/import-ecs-services');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      names: ['billing', 'cart-api'],
      owner: 'group:default/team-payments',
      environments: ['staging', 'prod'],
    });
  });

  it('offers nothing for a job that adopted nothing', () => {
    expect(
      terraformImportsOf([item('ledger', 'failed'), item('orders', 'pending')]),
    ).toEqual([]);
  });
});
