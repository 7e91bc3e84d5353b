/*
 * ecs-deploy:import-services with the real terraform (scripts/terraform.sh) against a private
 * emulator: services created through the AWS API and claimed for their components (tagged, as the
 * bulk adoption job does), one with autoscaling and one behind a load balancer, are imported in
 * batches of two (one Terraform run each, plan exits 0),
 * each one's state is split into its own state file, and each one's own root then plans with
 * nothing to do; ECS keeps what it ran but for tags. Services not claimed, or that the backend
 * refuses to the initiator, are reported and left alone.
 */
import {
  DescribeServicesCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecs';
import { NotAllowedError } from '@backstage/errors';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  DescribeScalableTargetsCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  autoscalingClient,
  createLoadBalancer,
  ecsClient,
  seedEnvironment,
  seedLegacyService,
  startEmulator,
  type Emulator,
  type LegacyServiceOptions,
} from '@internal/dev-kit';
import fs from 'node:fs';
import path from 'node:path';
import { createExistingServiceReader } from '../adoption/readExisting';
import type { AdoptionClient } from '../adoptionClient';
import { provisionFixtures } from '../__testUtils__/provisionFixtures';
import { createImportServicesAction } from './importServices';

jest.setTimeout(600_000);

const CLUSTER = 'import-staging';
const CLAIMED = ['imp-billing', 'imp-ledger', 'imp-orders', 'imp-web'];

describe('ecs-deploy:import-services with terraform', () => {
  const dir = createMockDirectory();
  const fixtures = provisionFixtures(() => dir.path);
  let emulator: Emulator;
  const asked: string[] = [];
  /** The backend's dry-run adoption as the initiator: imp-other is refused to them. */
  const adoptions: AdoptionClient = {
    async adopt(request) {
      asked.push(
        `${request.serviceName}:${request.dryRun}:${request.acceptAdopted}`,
      );
      if (request.serviceName === 'imp-other') {
        throw new NotAllowedError(
          'user:default/alice may not adopt imp-other: only members of group:default/team-ops or an admin may',
        );
      }
      return {
        entityRef: `component:default/${request.serviceName}`,
        owner: request.owner,
        actor: 'user:default/alice',
        dryRun: true,
        // As the backend answers acceptAdopted: only the claimed ones are adopted already.
        alreadyAdopted: request.serviceName !== 'imp-stray',
        services: [],
      };
    },
  };

  const services = async () =>
    (
      await ecsClient(emulator.endpoint).send(
        new DescribeServicesCommand({
          cluster: CLUSTER,
          services: [...CLAIMED, 'imp-stray'],
          include: ['TAGS'],
        }),
      )
    ).services!;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    emulator = await startEmulator({ rolloutSeconds: 1 });
    await seedEnvironment(emulator.endpoint, 'staging', { cluster: CLUSTER });
    const ecs = ecsClient(emulator.endpoint);
    for (const [name, options] of [
      ['imp-billing', {}],
      [
        'imp-ledger',
        {
          launchType: 'EC2' as const,
          containers: [
            { name: 'web', image: 'ghcr.io/acme/imp-ledger:3.2.0', port: 80 },
            { name: 'envoy', image: 'envoyproxy/envoy:v1.30' },
          ],
        },
      ],
      ['imp-orders', {}],
      [
        'imp-web',
        {
          targetGroupArn: (
            await createLoadBalancer(emulator.endpoint, 'imp-web-lb')
          ).targetGroupArn,
        },
      ],
      ['imp-stray', {}],
      ['imp-other', {}],
    ] as const) {
      const service = await seedLegacyService(
        emulator.endpoint,
        'staging',
        name,
        `ghcr.io/acme/${name}:1.0.0`,
        {
          cluster: CLUSTER,
          tags: { team: 'payments' },
          ...(options as LegacyServiceOptions),
        },
      );
      if (name !== 'imp-stray') {
        await ecs.send(
          new TagResourceCommand({
            resourceArn: service.serviceArn,
            tags: [
              {
                key: 'backstage:entity-ref',
                value: `component:default/${name}`,
              },
            ],
          }),
        );
      }
    }
    // imp-orders scales on CPU between 1 and 4 tasks.
    const aas = autoscalingClient(emulator.endpoint);
    const scalable = {
      ServiceNamespace: 'ecs' as const,
      ResourceId: `service/${CLUSTER}/imp-orders`,
      ScalableDimension: 'ecs:service:DesiredCount' as const,
    };
    await aas.send(
      new RegisterScalableTargetCommand({
        ...scalable,
        MinCapacity: 1,
        MaxCapacity: 4,
      }),
    );
    await aas.send(
      new PutScalingPolicyCommand({
        ...scalable,
        PolicyName: 'orders-cpu',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 65,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
          },
        },
      }),
    );
    fixtures.linkModules();
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('imports the claimed services in batches, one state each, and each own root plans with nothing to do', async () => {
    const before = await services();
    const action = createImportServicesAction({
      scaffolder: fixtures.options(emulator.endpoint, ['staging']),
      provision: fixtures.settings(),
      read: createExistingServiceReader({ defaultRegion: 'us-east-1' }),
      adoptions,
    });
    const workspacePath = path.join(dir.path, 'workspace');
    const { ctx, lines } = fixtures.context(workspacePath, {
      names: [...CLAIMED, 'imp-stray', 'imp-other'],
      owner: 'group:default/team-payments',
      description: 'Adopted in bulk',
      environments: ['staging'],
      batchSize: 2,
    });
    await action.handler(ctx);

    expect(ctx.output).toHaveBeenCalledWith('imported', CLAIMED);
    expect(ctx.output).toHaveBeenCalledWith('verified', CLAIMED);
    expect(ctx.output).toHaveBeenCalledWith('refused', [
      {
        name: 'imp-stray',
        reason: expect.stringContaining(
          'ConflictError: ECS service imp-stray is not adopted yet as component:default/imp-stray for group:default/team-payments',
        ),
      },
      {
        name: 'imp-other',
        reason: expect.stringContaining(
          'NotAllowedError: user:default/alice may not adopt imp-other',
        ),
      },
    ]);
    // The initiator's right to every service was asked of the backend: a dry run that accepts
    // an existing adoption.
    expect(asked.sort()).toEqual(
      [...CLAIMED, 'imp-stray', 'imp-other'].map(n => `${n}:true:true`).sort(),
    );
    // Two batches (2 + 2), each planned with nothing to do; then each own root.
    expect(
      lines.filter(l =>
        /staging: terraform plan -detailed-exitcode exits 0 \(no changes\) for \d services imported together/.test(
          l,
        ),
      ),
    ).toHaveLength(2);
    for (const name of CLAIMED) {
      expect(lines).toContain(
        `info: ${name}/terraform/staging: terraform plan -detailed-exitcode exits 0 (no changes)`,
      );
      const state = JSON.parse(
        fs.readFileSync(
          path.join(fixtures.stateDir(), name, 'staging/terraform.tfstate'),
          'utf8',
        ),
      );
      const addresses = state.resources.map(
        (r: any) => `${r.module ?? ''}:${r.type}.${r.name}`,
      );
      expect(addresses).toEqual(
        expect.arrayContaining([
          'module.service:aws_ecs_service.this',
          'module.service:aws_ecs_task_definition.this',
          'module.service:aws_cloudwatch_log_group.this',
          'module.environment:aws_ssm_parameter.this',
        ]),
      );
      expect(state.outputs.service_name.value).toBe(name);
      expect(
        fs.existsSync(
          path.join(workspacePath, name, 'terraform/staging/main.tf'),
        ),
      ).toBe(true);
    }
    const addressesOf = (name: string) =>
      JSON.parse(
        fs.readFileSync(
          path.join(fixtures.stateDir(), name, 'staging/terraform.tfstate'),
          'utf8',
        ),
      ).resources.map((r: any) => `${r.module}:${r.type}.${r.name}`);
    // The autoscaling target and its CPU policy imported with the service; nothing of them for
    // the others. The load-balanced one attached to its existing target group.
    expect(addressesOf('imp-orders')).toEqual(
      expect.arrayContaining([
        'module.service:aws_appautoscaling_target.this',
        'module.service:aws_appautoscaling_policy.cpu',
      ]),
    );
    expect(addressesOf('imp-billing').join()).not.toMatch(/appautoscaling/);
    expect(
      fs.readFileSync(
        path.join(workspacePath, 'imp-web/terraform/staging/main.tf'),
        'utf8',
      ),
    ).toMatch(
      /load_balancer = \{\n\s+target_group_arn = "arn:aws:elasticloadbalancing:[^"]+imp-web-lb-tg[^"]*"\n\s+container_name = "app"/,
    );
    // Only the services' states are left: no batch state manages them a second time.
    expect(fs.readdirSync(fixtures.stateDir()).sort()).toEqual(CLAIMED);

    // ECS kept what every service ran; only tags moved.
    const after = await services();
    const settings = (list: typeof before) =>
      list.map(s => ({
        name: s.serviceName,
        taskDefinition: s.taskDefinition,
        desiredCount: s.desiredCount,
        launchType: s.launchType,
        networkConfiguration: s.networkConfiguration,
        deploymentConfiguration: s.deploymentConfiguration,
        loadBalancers: s.loadBalancers,
      }));
    expect(settings(after)).toEqual(settings(before));
    const tag = (s: (typeof after)[number], key: string) =>
      s.tags?.find(t => t.key === key)?.value;
    expect(after.map(s => tag(s, 'backstage:environment'))).toEqual([
      ...CLAIMED.map(() => 'staging'),
      undefined,
    ]);
    const { ScalableTargets } = await autoscalingClient(emulator.endpoint).send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'ecs',
        ResourceIds: [`service/${CLUSTER}/imp-orders`],
      }),
    );
    expect(ScalableTargets!.map(t => [t.MinCapacity, t.MaxCapacity])).toEqual([
      [1, 4],
    ]);

    // A second run imports nothing twice.
    const again = fixtures.context(path.join(dir.path, 'again'), {
      names: ['imp-billing'],
      owner: 'group:default/team-payments',
      description: 'Adopted in bulk',
      environments: ['staging'],
    });
    await action.handler(again.ctx);
    expect(again.ctx.output).toHaveBeenCalledWith('imported', []);
    expect(again.ctx.output).toHaveBeenCalledWith('refused', [
      {
        name: 'imp-billing',
        reason:
          'ConflictError: ECS service imp-billing is imported already (staging has a state)',
      },
    ]);
  });
});
