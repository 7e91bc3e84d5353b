import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  Service,
} from '@aws-sdk/client-ecs';
import { orgStatusQuerySchema } from '@deployment-portal/plugin-ecs-deploy-common';
import { mockClient } from 'aws-sdk-client-mock';
import { answerServices, both } from '../../__testUtils__/ecsAnswers';
import { component } from '../../__testUtils__/ecsFixtures';
import { serviceShape } from '../../__testUtils__/ecsShapes';
import { spiedOrgEntities } from '../../__testUtils__/orgCatalog';
import { buildReadStack } from '../../__testUtils__/readStack';

const ecsMock = mockClient(ECSClient);

const answer = (services: Record<string, Service>) =>
  answerServices(ecsMock, services);

const calls = (command: any) => ecsMock.commandCalls(command).length;

beforeEach(() => ecsMock.reset());

describe('DefaultStatusService call economy', () => {
  it('describes services 10 per call per cluster and each task definition once', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `svc-${i}`);
    answer(Object.assign({}, ...names.map(n => both(n))));
    const { status } = await buildReadStack();
    const team = await status.teamStatus(
      'group:default/team-a',
      names.map(n => component(n)),
    );
    expect(team.rows).toHaveLength(25);
    expect(calls(DescribeServicesCommand)).toBe(6); // 3 per environment
    expect(
      ecsMock
        .commandCalls(DescribeServicesCommand)
        .every(c => c.args[0].input.services!.length <= 10),
    ).toBe(true);
    expect(calls(DescribeTaskDefinitionCommand)).toBe(50); // one per distinct ARN
    expect(calls(ListTasksCommand) + calls(DescribeTasksCommand)).toBe(0); // no task calls in lists

    await status.teamStatus(
      'group:default/team-a',
      names.map(n => component(n)),
    );
    expect(calls(DescribeServicesCommand)).toBe(6); // warm: the cache answers
  });

  it("reads only the page's services for an org view chosen by name, all of them for one by health", async () => {
    const names = Array.from({ length: 60 }, (_, i) => `org-${i}`);
    answer(Object.assign({}, ...names.map(n => both(n))));
    const { status } = await buildReadStack();
    const { entities, queried, listed } = spiedOrgEntities(
      names.map((n, i) => component(n, `group:default/team-${i % 2}`)),
    );
    const described = () =>
      ecsMock
        .commandCalls(DescribeServicesCommand)
        .flatMap(c => c.args[0].input.services!);
    const parse = (query: Record<string, string>) =>
      orgStatusQuerySchema.parse(query);

    const page = await status.orgStatus(
      entities,
      parse({ team: 'group:default/team-1', limit: '5', offset: '5' }),
    );
    expect(page.total).toBe(30);
    expect(page.rows.map(r => r.entityRef)).toEqual(
      ['org-19', 'org-21', 'org-23', 'org-25', 'org-27'].map(
        n => `component:default/${n}`,
      ),
    );
    expect(page.rows.every(r => r.owner === 'group:default/team-1')).toBe(true);
    expect(page.rows[0].environments.prod.health).toBe('healthy');
    expect(page.teams).toEqual([
      'group:default/team-0',
      'group:default/team-1',
    ]);
    expect(new Set(described())).toEqual(
      new Set(['org-19', 'org-21', 'org-23', 'org-25', 'org-27']),
    );
    // The catalog chose the page: one query for 5 entities (beside the count of services
    // without an owner, for the teams), no read of every entity.
    const pages = queried.mock.calls.filter(([q]) => (q as any).limit !== 0);
    expect(pages).toHaveLength(1);
    expect(pages[0][0]).toMatchObject({
      filter: { 'relations.ownedBy': 'group:default/team-1' },
      orderFields: { field: 'metadata.name', order: 'asc' },
      offset: 5,
      limit: 5,
    });
    expect(listed).not.toHaveBeenCalled();

    ecsMock.resetHistory();
    const worst = await status.orgStatus(
      entities,
      parse({ sort: 'health', limit: '5' }),
    );
    expect(worst.total).toBe(60);
    expect(new Set(described()).size).toBe(55); // every service not read yet
    expect(listed).toHaveBeenCalledTimes(1); // a health order needs every entity
  });

  it('re-reads services when asked for fresh state but never a task definition it already has', async () => {
    answer(both('a'));
    const { status } = await buildReadStack();
    await status.entityStatus(component('a'));
    await status.entityStatus(component('a'), { fresh: true });
    expect(calls(DescribeServicesCommand)).toBe(4);
    expect(calls(DescribeTaskDefinitionCommand)).toBe(2);
  });

  it('coalesces identical in-flight reads and batches concurrent callers', async () => {
    answer(Object.assign({}, both('a'), both('b'), both('c')));
    const { status } = await buildReadStack();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        status.entityStatus(component(['a', 'b', 'c'][i % 3])),
      ),
    );
    expect(results.every(r => r.environments[0].health === 'healthy')).toBe(
      true,
    );
    // a, b and c of one environment go out in one DescribeServices call, not 60.
    expect(calls(DescribeServicesCommand)).toBe(2);
  });
});

describe('DefaultStatusService errors', () => {
  it('keeps other environments when one fails, and serves the last good answer marked stale', async () => {
    answer(both('a'));
    const { status } = await buildReadStack({
      extra: { cache: { statusTtl: { milliseconds: 50 } } },
    });
    await status.entityStatus(component('a'));
    await new Promise(r => setTimeout(r, 250)); // past 3 TTLs: the next read waits for ECS
    ecsMock.on(DescribeServicesCommand, { cluster: 'test-prod' }).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
      }),
    );
    const [staging, prod] = (await status.entityStatus(component('a')))
      .environments;
    expect(staging).toMatchObject({
      health: 'healthy',
      stale: undefined,
      error: undefined,
    });
    expect(prod).toMatchObject({
      health: 'healthy',
      stale: true,
      error: { name: 'ThrottlingException', message: 'Rate exceeded' },
    });
  });

  it('reports an environment that was never readable as unknown with the error', async () => {
    ecsMock.on(DescribeServicesCommand, { cluster: 'test-staging' }).rejects(
      Object.assign(new Error('Cluster not found.'), {
        name: 'ClusterNotFoundException',
      }),
    );
    ecsMock
      .on(DescribeServicesCommand, { cluster: 'test-prod' })
      .resolves({ services: [], failures: [{ arn: 'a', reason: 'MISSING' }] });
    const { status } = await buildReadStack();
    const result = await status.entityStatus(component('a'));
    expect(result.environments[0]).toMatchObject({
      health: 'unknown',
      error: {
        name: 'ClusterNotFoundException',
        message:
          "ECS cluster 'test-staging' not found in staging (us-east-1, account 123456789012).",
      },
    });
    expect(result.environments[1].health).toBe('not-deployed');
  });

  it('answers within the read deadline when ECS hangs, with the stale state', async () => {
    answer(both('a'));
    const { status } = await buildReadStack({
      extra: {
        cache: { statusTtl: { milliseconds: 50 } },
        aws: { readDeadline: { milliseconds: 300 }, maxAttempts: 1 },
      },
    });
    await status.entityStatus(component('a'));
    await new Promise(r => setTimeout(r, 250)); // past 3 TTLs: the next read waits for ECS
    ecsMock.on(DescribeServicesCommand).callsFake(() => new Promise(() => {}));
    const started = Date.now();
    const result = await status.entityStatus(component('a'));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(
      result.environments.map(e => [e.health, e.stale, e.error?.name]),
    ).toEqual([
      ['healthy', true, 'TimeoutError'],
      ['healthy', true, 'TimeoutError'],
    ]);
    expect(result.environments[0].error!.message).toMatch(
      /did not answer within 0.3 s/,
    );
  });
});

describe('DefaultStatusService problems and ownership', () => {
  it('reads stopped tasks of a failing service and names the image pull error (entity view only)', async () => {
    answer(both('a', { runningCount: 0 }));
    ecsMock.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({
      taskArns: ['arn:aws:ecs:us-east-1:123456789012:task/test-prod/abc'],
    });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/test-prod/abc',
          lastStatus: 'STOPPED',
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 5 time(s): ghcr.io/acme/a:9.9.9: not found',
          containers: [{ name: 'app' }],
        },
      ],
    });
    const { status } = await buildReadStack();
    const prod = (await status.entityStatus(component('a'))).environments[1];
    expect(prod.health).toBe('failed');
    expect(prod.problems[0]).toMatchObject({
      code: 'image-pull-error',
      severity: 'error',
    });
    await status.teamStatus('group:default/team-a', [component('a')]);
    expect(calls(ListTasksCommand)).toBe(1); // the team view reads no tasks
  });

  it('shows a service tagged for another entity as not owned, in the entity and the team view', async () => {
    answer(both('payments-api'));
    const hijack = component('hijack', 'group:default/team-search');
    hijack.metadata.annotations!['ecs-deploy.io/service-name'] = 'payments-api';
    const { status } = await buildReadStack();
    const [staging] = (await status.entityStatus(hijack)).environments;
    expect(staging.ownership).toEqual({
      owned: false,
      tag: 'component:default/payments-api',
    });
    expect(staging.problems[0]).toMatchObject({
      code: 'not-owned',
      severity: 'error',
    });
    expect(staging.problems[0].message).toContain(
      'ECS service payments-api in staging (cluster test-staging) carries backstage:entity-ref=component:default/payments-api, so it is not owned by component:default/hijack',
    );
    const own = (await status.entityStatus(component('payments-api')))
      .environments[0];
    expect(own.ownership).toEqual({
      owned: true,
      proof: 'tag',
      tag: 'component:default/payments-api',
    });
    expect(own.problems).toEqual([]);
    const team = await status.teamStatus('group:default/team-search', [hijack]);
    expect(team.rows[0].environments.prod.ownership?.owned).toBe(false);
  });

  it('accepts an untagged service through an admin mapping, never through the annotation alone', async () => {
    answer(both('legacy', { tags: [] }));
    const { status } = await buildReadStack({
      extra: {
        ownership: {
          mappings: [
            {
              entity: 'component:default/legacy',
              environment: 'prod',
              service: 'legacy',
            },
          ],
        },
      },
    });
    answer({
      'test-staging/legacy': serviceShape('legacy', 'test-staging', {
        tags: [],
      }),
      'test-prod/legacy': serviceShape('legacy', 'test-prod', { tags: [] }),
    });
    const [staging, prod] = (await status.entityStatus(component('legacy')))
      .environments;
    expect(staging.ownership).toEqual({ owned: false });
    expect(staging.problems[0].message).toContain(
      'has no backstage:entity-ref tag',
    );
    expect(prod.ownership).toEqual({ owned: true, proof: 'mapping' });
  });
});
