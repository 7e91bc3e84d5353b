import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/databases';
import { createStores } from './stores';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const service = (serviceName: string) => ({
  serviceName,
  environments: ['staging', 'prod'],
  owner: 'group:default/team-payments',
});

describe.each(databases.eachSupportedId())('AdoptionJobStore on %p', id => {
  async function create() {
    const knex = await databases.init(id);
    const stores = await createStores(mockServices.database({ knex }));
    // A restarted replica: another store over the same tables.
    const restarted = async () =>
      (await createStores(mockServices.database({ knex }))).adoptionJobs;
    return { store: stores.adoptionJobs, restarted };
  }

  it('stores a job with every service pending, resumes the pending ones after a restart, and finishes it', async () => {
    const { store, restarted } = await create();
    const names = Array.from({ length: 150 }, (_, i) => `svc-${i}`);
    await store.create(
      { id: 'job-1', actor: 'user:default/dave', createdAt: new Date(1000) },
      names.map(service),
    );
    await store.create(
      { id: 'job-2', actor: 'user:default/dave', createdAt: new Date(2000) },
      [service('later')],
    );
    const first = await store.pending(3);
    expect(first.map(p => [p.jobId, p.position, p.serviceName])).toEqual([
      ['job-1', 0, 'svc-0'],
      ['job-1', 1, 'svc-1'],
      ['job-1', 2, 'svc-2'],
    ]);
    expect(first[0]).toMatchObject({
      actor: 'user:default/dave',
      environments: ['staging', 'prod'],
      owner: 'group:default/team-payments',
    });
    const at = new Date(5000);
    expect(
      await store.finish(
        first[0],
        { status: 'adopted', entityRef: 'component:default/svc-0' },
        at,
      ),
    ).toBe(true);
    expect(
      await store.finish(
        first[1],
        {
          status: 'failed',
          error: { name: 'ConflictError', message: 'owned' },
        },
        at,
      ),
    ).toBe(true);
    // Written once: a second outcome for the same service (another replica's) is refused.
    expect(
      await store.finish(first[0], { status: 'already-adopted' }, at),
    ).toBe(false);

    // The process dies here; the next one resumes where the first stopped.
    const again = await restarted();
    expect((await again.pending(2)).map(p => p.serviceName)).toEqual([
      'svc-2',
      'svc-3',
    ]);
    expect(await again.finishJobIfDone('job-1', at)).toBe(false);
    for (const p of await again.pending(1000)) {
      if (p.jobId === 'job-1') {
        await again.finish(
          p,
          {
            status: 'already-adopted',
            entityRef: `component:default/${p.serviceName}`,
          },
          at,
        );
      }
    }
    expect(await again.finishJobIfDone('job-1', at)).toBe(true);
    expect(await again.finishJobIfDone('job-1', at)).toBe(false);

    const job = await again.get('job-1');
    expect(job).toMatchObject({
      id: 'job-1',
      actor: 'user:default/dave',
      status: 'completed',
      finishedAt: at.toISOString(),
      createdAt: new Date(1000).toISOString(),
      counts: { pending: 0, adopted: 1, 'already-adopted': 148, failed: 1 },
    });
    expect(job!.items.slice(0, 2)).toEqual([
      {
        ...service('svc-0'),
        status: 'adopted',
        entityRef: 'component:default/svc-0',
        finishedAt: at.toISOString(),
      },
      {
        ...service('svc-1'),
        status: 'failed',
        error: { name: 'ConflictError', message: 'owned' },
        finishedAt: at.toISOString(),
      },
    ]);
    expect((await again.pending(10)).map(p => p.jobId)).toEqual(['job-2']);
    expect(await again.get('nope')).toBeUndefined();
  });
});
