import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import type { AdoptionRow } from './AdoptionStore';
import { createStores } from './stores';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const row = (
  environment: string,
  actor: string,
  serviceName = 'billing',
): AdoptionRow => ({
  environment,
  serviceName,
  cluster: `c-${environment}`,
  serviceArn: `arn:aws:ecs:us-east-1:1:service/c-${environment}/${serviceName}`,
  entityRef: `component:default/${serviceName}`,
  owner: 'group:default/team-payments',
  actor,
  createdParameters: [],
  createdAt: new Date(),
});

describe.each(databases.eachSupportedId())('AdoptionStore on %p', id => {
  async function create() {
    const knex = await databases.init(id);
    return (await createStores(mockServices.database({ knex }))).adoptions;
  }

  it('lets exactly one of many concurrent claims in, all environments or none', async () => {
    const store = await create();
    const actors = ['a', 'b', 'c', 'd', 'e', 'f'].map(a => `user:default/${a}`);
    const holders = await Promise.all(
      actors.map(actor =>
        store.claim([row('staging', actor), row('prod', actor)]),
      ),
    );
    const winners = actors.filter((_, i) => holders[i] === undefined);
    expect(winners).toHaveLength(1);
    for (const holder of holders.filter(Boolean)) {
      expect(holder!.actor).toBe(winners[0]);
    }
    expect((await store.get('staging', 'billing'))?.actor).toBe(winners[0]);
    expect((await store.get('prod', 'billing'))?.actor).toBe(winners[0]);
  });

  it('keeps a claim that overlaps a held one out entirely, and records and releases', async () => {
    const store = await create();
    expect(await store.claim([row('prod', 'user:default/a')])).toBeUndefined();
    const holder = await store.claim([
      row('staging', 'user:default/b'),
      row('prod', 'user:default/b'),
    ]);
    expect(holder?.actor).toBe('user:default/a');
    expect(await store.get('staging', 'billing')).toBeUndefined();
    await store.recordCreated('prod', 'billing', ['/p/app']);
    expect((await store.get('prod', 'billing'))?.createdParameters).toEqual([
      '/p/app',
    ]);
    await store.release('prod', 'billing');
    expect(await store.get('prod', 'billing')).toBeUndefined();
  });
});
