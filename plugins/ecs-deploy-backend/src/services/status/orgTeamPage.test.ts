import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { Entity } from '@backstage/catalog-model';
import { orgStatusQuerySchema } from '@deployment-portal/plugin-ecs-deploy-common';
import { mockClient } from 'aws-sdk-client-mock';
import { answerServices, both } from '../../__testUtils__/ecsAnswers';
import { component } from '../../__testUtils__/ecsFixtures';
import { spiedOrgEntities } from '../../__testUtils__/orgCatalog';
import { buildReadStack } from '../../__testUtils__/readStack';

const ecsMock = mockClient(ECSClient);

/** A service without an owner: no spec.owner, no ownedBy relation. */
function unowned(name: string): Entity {
  const entity = component(name);
  return {
    ...entity,
    spec: { type: 'service', lifecycle: 'production' },
    relations: [],
  };
}

const names = Array.from({ length: 60 }, (_, i) => `org-${i}`);
const free = ['free-0', 'free-1'];
/** Team t's services as the order by team lists them: by name. */
const ofTeam = (t: number) => names.filter((_, i) => i % 3 === t).sort();
const refs = (list: string[]) => list.map(n => `component:default/${n}`);

describe('the org view ordered by team', () => {
  beforeEach(() => {
    ecsMock.reset();
    answerServices(
      ecsMock,
      Object.assign({}, ...[...names, ...free].map(n => both(n))),
    );
  });

  async function setup() {
    const { status } = await buildReadStack();
    const { entities, queried, listed } = spiedOrgEntities([
      ...names.map((n, i) => component(n, `group:default/team-${i % 3}`)),
      ...free.map(unowned),
    ]);
    const read = (query: Record<string, string>) =>
      status.orgStatus(entities, orgStatusQuerySchema.parse(query));
    /** Entities the catalog returned, and the largest page it was asked for. */
    const catalogReads = async () => {
      const results = await Promise.all(
        queried.mock.results.map(r => r.value),
      );
      return {
        entities: results.reduce((n, r) => n + r.items.length, 0),
        largestLimit: Math.max(
          ...queried.mock.calls.map(([q]) => (q as any).limit ?? Infinity),
        ),
      };
    };
    const described = () =>
      new Set(
        ecsMock
          .commandCalls(DescribeServicesCommand)
          .flatMap(c => c.args[0].input.services!),
      );
    return { read, queried, listed, catalogReads, described };
  }

  it('reads only the page, across the teams it spans, owners then names', async () => {
    const { read, listed, catalogReads, described } = await setup();
    const page = await read({ sort: 'team', offset: '18', limit: '5' });
    const expected = [...ofTeam(0), ...ofTeam(1)].slice(18, 23);
    expect(page.total).toBe(62);
    expect(page.rows.map(r => r.entityRef)).toEqual(refs(expected));
    expect(page.rows.map(r => r.owner)).toEqual([
      'group:default/team-0',
      'group:default/team-0',
      'group:default/team-1',
      'group:default/team-1',
      'group:default/team-1',
    ]);
    expect(page.rows[0].environments.prod.health).toBe('healthy');
    expect(page.teams).toEqual([
      ...[0, 1, 2].map(t => `group:default/team-${t}`),
      'unowned',
    ]);
    // The catalog chose the page: 5 entities in pages of at most 5, never every entity.
    const reads = await catalogReads();
    expect(reads.entities).toBe(5);
    expect(reads.largestLimit).toBeLessThanOrEqual(5);
    expect(listed).not.toHaveBeenCalled();
    expect(described()).toEqual(new Set(expected));
  });

  it('reverses the owners (services without one first), names still ascending, and pages a team', async () => {
    const { read, listed, catalogReads } = await setup();
    const first = await read({ sort: 'team', order: 'desc', limit: '4' });
    expect(first.total).toBe(62);
    expect(first.rows.map(r => [r.entityRef, r.owner])).toEqual([
      ['component:default/free-0', 'unowned'],
      ['component:default/free-1', 'unowned'],
      ...refs(ofTeam(2).slice(0, 2)).map(r => [r, 'group:default/team-2']),
    ]);
    const team = await read({
      sort: 'team',
      team: 'group:default/team-1',
      offset: '15',
      limit: '10',
    });
    expect(team.total).toBe(20);
    expect(team.rows.map(r => r.entityRef)).toEqual(
      refs(ofTeam(1).slice(15)),
    );
    const reads = await catalogReads();
    expect(reads.entities).toBe(9);
    expect(reads.largestLimit).toBeLessThanOrEqual(10);
    expect(listed).not.toHaveBeenCalled();
  });

  it.each(['team', 'name'])(
    'pages the services without an owner as the team filter unowned (by %s)',
    async sort => {
      const { read, listed, catalogReads } = await setup();
      const page = await read({ sort, team: 'unowned', limit: '10' });
      expect(page.total).toBe(2);
      expect(page.rows.map(r => [r.entityRef, r.owner])).toEqual(
        refs(free).map(r => [r, 'unowned']),
      );
      expect(page.rows[0].environments.prod.health).toBe('healthy');
      expect((await catalogReads()).entities).toBe(2);
      expect(listed).not.toHaveBeenCalled();
    },
  );

  it('chooses among every entity when the order by team comes with a name search', async () => {
    const { read, listed } = await setup();
    const page = await read({ sort: 'team', q: 'org-1', limit: '3' });
    expect(page.rows.map(r => r.entityRef)).toEqual(
      refs(ofTeam(0).filter(n => n.startsWith('org-1')).slice(0, 3)),
    );
    expect(listed).toHaveBeenCalledTimes(1);
  });
});
