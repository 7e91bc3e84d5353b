/*
 * ecs-deploy:adopt-service on services as ECS describes them (a reader returning fixed reads):
 * what it renders for varied shapes, and the refusals before anything is written.
 */
import type {
  ScalableTarget,
  ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';
import type { Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { listFiles, testOptions } from '../__testUtils__/fixtures';
import type { ExistingService } from '../adoption/moduleInputs';
import { createAdoptServiceAction } from './adoptService';
import { examples } from './adoptService.examples';

const td = (
  name: string,
  extra: Partial<TaskDefinition> = {},
): TaskDefinition => ({
  taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:4`,
  family: name,
  revision: 4,
  networkMode: 'bridge',
  requiresCompatibilities: ['EC2'],
  containerDefinitions: [
    {
      name: 'web',
      image: `ghcr.io/acme/${name}:2`,
      essential: true,
      memory: 256,
      portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }],
      command: ['serve', '--port=80'],
      environment: [{ name: 'MODE', value: 'web' }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': `/legacy/${name}`,
          'awslogs-stream-prefix': 'x',
        },
      },
    },
    {
      name: 'envoy',
      image: 'envoyproxy/envoy:v1.30',
      essential: false,
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': `/legacy/${name}`,
          'awslogs-stream-prefix': 'x',
        },
      },
    },
  ],
  ...extra,
});

const svc = (name: string, extra: Partial<Service> = {}): Service => ({
  serviceName: name,
  launchType: 'EC2',
  desiredCount: 2,
  taskDefinition: td(name).taskDefinitionArn,
  tags: [{ key: 'team', value: 'payments' }],
  ...extra,
});

const scalableTarget: ScalableTarget = {
  ServiceNamespace: 'ecs',
  ResourceId: 'service/c-staging/ledger',
  ScalableDimension: 'ecs:service:DesiredCount',
  MinCapacity: 1,
  MaxCapacity: 4,
  RoleARN: 'arn:role',
  CreationTime: new Date(0),
};

describe('ecs-deploy:adopt-service', () => {
  const workspace = createMockDirectory();
  let reads: Record<string, ExistingService | Error>;

  beforeEach(() => {
    workspace.clear();
    reads = {};
    for (const env of ['staging', 'prod']) {
      reads[env] = {
        environment: env,
        cluster: `c-${env}`,
        service: svc('ledger'),
        taskDefinition: td('ledger'),
        logRetentionInDays: 14,
      };
    }
  });

  const read = (file: string) =>
    fs.readFileSync(path.join(workspace.path, file), 'utf8');

  const run = async (input: object = {}) => {
    const action = createAdoptServiceAction({
      scaffolder: testOptions(),
      read: async env => {
        const found = reads[env.name];
        if (found instanceof Error) throw found;
        return found;
      },
    });
    const ctx = createMockActionContext({
      input: {
        name: 'ledger',
        owner: 'group:default/team-payments',
        description: 'Ledger',
        environments: ['staging', 'prod'],
        ...input,
      } as any,
      workspacePath: workspace.path,
    });
    await action.handler(ctx as any);
    return ctx;
  };

  it('renders an EC2 service with two containers as it runs, with imports, and its catalog entry', async () => {
    const ctx = await run();
    const main = read('terraform/prod/main.tf');
    expect(main).toContain('family = "ledger"');
    expect(main).toContain('launch_type = "EC2"');
    expect(main).toContain('network_mode = "bridge"');
    expect(main).toContain('cpu = null');
    expect(main).toContain('log_retention_in_days = 14');
    expect(main).toContain('log_stream_prefix = "x"');
    expect(main).toMatch(
      /name = "envoy"\n\s+image = "envoyproxy\/envoy:v1.30"/,
    );
    expect(main).toMatch(/command = \[\n\s+"serve",\n\s+"--port=80",\n\s+\]/);
    expect(main).toMatch(/environment = \{\n\s+MODE = "web"\n/);
    expect(main).toContain('host_port = 0');
    expect(main).toContain(
      'import {\n  to = module.service.aws_ecs_service.this\n  id = "c-prod/ledger"\n}',
    );
    expect(main).toContain(
      'id = "arn:aws:ecs:us-east-1:123456789012:task-definition/ledger:4"',
    );
    expect(main).toContain('to = module.service.aws_cloudwatch_log_group.this');
    const entity = yaml.parse(read('catalog-info.yaml'));
    expect(entity.metadata.name).toBe('ledger');
    expect(entity.spec.owner).toBe('group:default/team-payments');
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/ledger',
    );
    expect(ctx.output).toHaveBeenCalledWith('roots', [
      'terraform/staging',
      'terraform/prod',
    ]);
  });

  it('names every setting the module cannot express, and writes nothing', async () => {
    (reads.prod as ExistingService).service = svc('ledger', {
      loadBalancers: [
        { targetGroupArn: 'arn:tg1', containerName: 'web', containerPort: 80 },
        { targetGroupArn: 'arn:tg2', containerName: 'web', containerPort: 80 },
      ],
    });
    (reads.prod as ExistingService).autoscaling = {
      target: scalableTarget,
      policies: [
        {
          PolicyName: 'ledger-steps',
          PolicyType: 'StepScaling',
        } as ScalingPolicy,
      ],
    };
    (reads.staging as ExistingService).taskDefinition = td('ledger', {
      volumes: [{ name: 'data' }],
    });
    const error = await run().catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      'ECS service ledger cannot be adopted as it runs: staging: volumes: the module defines no task volumes; prod: loadBalancers: 2 target groups (the module attaches the service to one); prod: autoscaling policy ledger-steps: StepScaling on a custom metric (the module tracks average CPU and/or memory, one policy each); prod: autoscaling: a scalable target without a target-tracking policy on CPU or memory (the module needs one)',
    );
    expect(await listFiles(workspace.path)).toEqual([]);
  });

  it('imports the autoscaling target and its policies, and attaches a service to its existing target group', async () => {
    (reads.staging as ExistingService).service = svc('ledger', {
      loadBalancers: [
        { targetGroupArn: 'arn:tg1', containerName: 'web', containerPort: 80 },
      ],
      healthCheckGracePeriodSeconds: 30,
    });
    (reads.staging as ExistingService).autoscaling = {
      target: scalableTarget,
      policies: (['CPU', 'Memory'] as const).map(metric => ({
        ...scalableTarget,
        PolicyARN: `arn:policy/${metric}`,
        PolicyName: `ledger-${metric.toLowerCase()}`,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: metric === 'CPU' ? 60 : 75,
          ScaleInCooldown: 120,
          PredefinedMetricSpecification: {
            PredefinedMetricType: `ECSServiceAverage${metric}Utilization`,
          },
        },
      })),
    };
    await run({ environments: ['staging'] });
    const main = read('terraform/staging/main.tf');
    expect(main).toContain(`  autoscaling = {
    min_capacity = 1
    max_capacity = 4
    track_cpu = true
    cpu_target = 60
    memory_target = 75
    memory_policy_name = "ledger-memory"
    cpu_policy_name = "ledger-cpu"
    scale_in_cooldown = 120
    disable_scale_in = false
  }`);
    const target = 'ecs/service/c-staging/ledger/ecs:service:DesiredCount';
    for (const [to, id] of [
      ['aws_appautoscaling_target.this[0]', target],
      ['aws_appautoscaling_policy.cpu[0]', `${target}/ledger-cpu`],
      ['aws_appautoscaling_policy.memory[0]', `${target}/ledger-memory`],
    ]) {
      expect(main).toContain(
        `import {\n  to = module.service.${to}\n  id = "${id}"\n}`,
      );
    }
    expect(main).toContain(`  load_balancer = {
    target_group_arn = "arn:tg1"
    container_name = "web"
  }
  health_check_grace_period_seconds = 30`);
  });

  it('refuses a service already owned (409 naming the owner), a missing one (404) and a bad name (400 naming the rule)', async () => {
    (reads.prod as ExistingService).service = svc('ledger', {
      tags: [{ key: 'backstage:entity-ref', value: 'component:default/other' }],
    });
    const owned = await run().catch(e => e);
    expect(owned).toBeInstanceOf(ConflictError);
    expect(owned.message).toContain(
      'backstage:entity-ref=component:default/other',
    );

    reads.prod = new NotFoundError(
      'No ECS service ledger in prod (cluster c-prod)',
    );
    await expect(run()).rejects.toThrow('No ECS service ledger in prod');

    const bad = await run({ name: 'Ledger_Prod' }).catch(e => e);
    expect(bad).toBeInstanceOf(InputError);
    expect(bad.message).toMatch(/lowercase letters, digits and hyphens/);
    expect(await listFiles(workspace.path)).toEqual([]);
  });

  describe('examples', () => {
    it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
      const { input } = yaml.parse(example.example).steps[0];
      reads = Object.fromEntries(
        Object.entries(reads).map(([env, r]) => [
          env,
          {
            ...(r as ExistingService),
            service: svc(input.name),
            taskDefinition: td(input.name),
          },
        ]),
      );
      await run(input);
      expect(await listFiles(workspace.path)).toContain(
        'terraform/prod/main.tf',
      );
    });
  });
});
