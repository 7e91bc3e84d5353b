/*
 * A canary service from the template's actions, end to end: render-service picks the rule
 * priority on prod's shared listener, ecs-deploy:provision applies both roots with the real
 * terraform to the emulator (the ecs-service module's target groups, listener rule, ECS role and
 * strategy parameter), and a promotion through the real ecs-deploy backend runs the canary steps
 * the template chose: a quarter of the traffic baking, an admin's skip, then all of it.
 */
import {
  DescribeRulesCommand,
  DescribeTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The real backend on purpose: the promotion is what the rendered strategy is for.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ecsDeployPlugin from '@deployment-portal/plugin-ecs-deploy-backend';
import {
  deployImage,
  ecsClient,
  ecsDeployTestConfig,
  elbClient,
  eventually,
  seedEnvironment,
  ssmClient,
  startEmulator,
  type Emulator,
} from '@internal/dev-kit';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { provisionFixtures } from '../__testUtils__/provisionFixtures';
import { describeTf } from '../__testUtils__/terraformCli';
import { preferredPriority } from '../listenerPriority';
import { createProvisionAction } from './provision';

const exec = promisify(execFile);
const SERVICE = 'cart-canary';
const ENTITY_REF = `component:default/${SERVICE}`;
const NEXT_IMAGE = `ghcr.io/acme/${SERVICE}:2.0.0`;
const api = `/api/ecs-deploy/entities/component/default/${SERVICE}`;
const USER = mockCredentials.user.header('user:default/alice');

describeTf('a canary service created from the template', () => {
  jest.setTimeout(720_000);
  const dir = createMockDirectory();
  const fixtures = provisionFixtures(() => dir.path);
  let emulator: Emulator;
  let listenerArn: string;
  let server: any;

  const status = async (environment: string) =>
    (
      await request(server).get(`${api}/status`).set('Authorization', USER)
    ).body.environments?.find((e: any) => e.environment === environment);

  beforeAll(async () => {
    // render-service reads the listener with the SDK's default credentials, as Terraform does.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    emulator = await startEmulator({ rolloutSeconds: 1, minuteSeconds: 1 });
    await seedEnvironment(emulator.endpoint, 'staging');
    ({ listenerArn } = (await seedEnvironment(emulator.endpoint, 'prod', {
      alb: true,
    })) as { listenerArn: string });
    fixtures.linkModules();
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('renders and applies the listener rule and the strategy; the promotion runs the canary steps', async () => {
    const endpoint = emulator.endpoint;
    const workspacePath = await fixtures.render(
      SERVICE,
      ['staging', 'prod'],
      endpoint,
      {
        strategies: {
          prod: {
            type: 'canary',
            canaryPercent: 25,
            canaryBakeMinutes: 30,
            bakeMinutes: 1,
          },
        },
      },
    );
    await exec('terraform', [
      `-chdir=${path.join(workspacePath, 'terraform/prod')}`,
      'fmt',
      '-check',
      '-diff',
    ]);
    const input = { name: SERVICE, environments: ['staging', 'prod'] };
    const { ctx, lines } = fixtures.context(workspacePath, input);
    await createProvisionAction({
      scaffolder: fixtures.options(endpoint),
      provision: fixtures.settings(),
    }).handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('applied', ['staging', 'prod']);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^info: prod: module\.service\.aws_lb_listener_rule\.this\[0\]: Creation complete/,
      ),
    );

    // The rule is where render-service said, tagged with the service: rendering again keeps it.
    const elb = elbClient(endpoint);
    const { Rules = [] } = await elb.send(
      new DescribeRulesCommand({ ListenerArn: listenerArn }),
    );
    const rule = Rules.find(r => r.Priority !== 'default')!;
    expect(rule.Priority).toBe(String(preferredPriority(SERVICE)));
    expect(rule.Conditions?.[0].Field).toBe('path-pattern');
    expect(rule.Conditions?.[0].PathPatternConfig?.Values?.sort()).toEqual([
      `/${SERVICE}`,
      `/${SERVICE}/*`,
    ]);
    const { TagDescriptions } = await elb.send(
      new DescribeTagsCommand({ ResourceArns: [rule.RuleArn!] }),
    );
    expect(TagDescriptions![0].Tags).toContainEqual({
      Key: 'backstage:entity-ref',
      Value: ENTITY_REF,
    });
    const { Parameter } = await ssmClient(endpoint).send(
      new GetParameterCommand({
        Name: `/ecs-deploy/prod/${SERVICE}/deployment-strategy`,
      }),
    );
    const strategy = JSON.parse(Parameter!.Value!);
    expect(strategy).toMatchObject({
      type: 'canary',
      deploymentConfiguration: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 1,
        canaryConfiguration: {
          canaryPercent: 25,
          canaryBakeTimeInMinutes: 30,
        },
      },
      loadBalancers: [
        {
          containerName: SERVICE,
          containerPort: 8080,
          advancedConfiguration: { productionListenerRule: rule.RuleArn },
        },
      ],
    });

    // The portal on this emulator; staging gets the next image as CI deploys it.
    ({ server } = await startTestBackend({
      features: [
        ecsDeployPlugin,
        schedulerServiceFactory,
        mockServices.permissions.factory(),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            ...ecsDeployTestConfig(endpoint, {
              cache: { statusTtl: { milliseconds: 1 } },
              followThrough: { checkInterval: { seconds: 1 } },
              // A shared CI machine's emulator may answer slowly; slowness is not under test here.
              aws: { readDeadline: { seconds: 30 } },
              // The module's alarms are watched after staging's deploy, briefly.
              verification: {
                defaults: {
                  window: { seconds: 2 },
                  interval: { seconds: 1 },
                },
                watch: { interval: { seconds: 1 } },
              },
            }),
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: SERVICE,
                namespace: 'default',
                annotations: { 'ecs-deploy.io/service-name': SERVICE },
              },
              spec: {
                type: 'service',
                lifecycle: 'experimental',
                owner: 'group:default/team-payments',
              },
              relations: [
                {
                  type: 'ownedBy',
                  targetRef: 'group:default/team-payments',
                },
              ],
            },
          ],
        }),
      ],
    }));
    await deployImage(ecsClient(endpoint), 'test-staging', SERVICE, NEXT_IMAGE);
    await eventually(
      'staging healthy on the next image',
      async () => {
        const staging = await status('staging');
        return (
          staging?.health === 'healthy' &&
          staging.service?.deployments?.[0]?.images?.[0]?.image === NEXT_IMAGE
        );
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );
    await eventually(
      'staging’s deploy verified (the module’s alarms)',
      async () => {
        const res = await request(server)
          .get(`${api}/verifications?environment=staging`)
          .set('Authorization', USER);
        return res.body.items?.[0]?.status === 'verified';
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );

    const promoted = await request(server)
      .post(`${api}/promotions`)
      .set('Authorization', USER)
      .send({ from: 'staging', to: 'prod' });
    expect([promoted.status, promoted.body.error?.message]).toEqual([
      201,
      undefined,
    ]);
    const progress = (what: string, ok: (d: any) => boolean) =>
      eventually(
        what,
        async () => {
          const d = (await status('prod'))?.deployment;
          if (d && ok(d)) return d;
          // Named in the timeout's message: what prod's deployment showed last.
          throw new Error(`prod's deployment: ${JSON.stringify(d)}`);
        },
        // A loaded CI machine's emulator starts the canary's tasks slowly; speed is not under test.
        { timeoutMs: 150_000, intervalMs: 500 },
      );
    const baking = await progress(
      'the canary at 25 % baking',
      d => d.trafficPercent === 25 && d.waitingFor === 'bake',
    );
    expect(baking).toMatchObject({
      strategy: 'CANARY',
      bake: { kind: 'step', minutes: 30 },
      steps: [
        { percent: 25, bakeMinutes: 30, state: 'current' },
        { percent: 100, bakeMinutes: 1, state: 'pending' },
      ],
    });
    const skipped = await request(server)
      .post(`${api}/deployment/skip-bake`)
      .set('Authorization', USER)
      .send({
        environment: 'prod',
        reason: 'the canary looks fine',
        expectedServiceDeployment: baking.serviceDeploymentArn,
      });
    expect(skipped.status).toBe(200);
    await progress(
      'all the traffic on the new revision',
      d => d.trafficPercent === 100,
    );

    await eventually(
      'prod healthy on the next image, nothing in progress',
      async () => {
        const s = await status('prod');
        return (
          s?.health === 'healthy' &&
          s.deployment === undefined &&
          s.service?.deployments?.length === 1 &&
          // Pinned to the digest staging resolved to.
          s.service.deployments[0].images?.[0]?.image.startsWith(NEXT_IMAGE)
        );
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );
  });
});
