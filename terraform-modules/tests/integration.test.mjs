// Integration tests of the Terraform roots against the local AWS emulator (scripts/emulator.sh: moto with
// our ECS layer), with the AWS SDK v3.
// Run by scripts/test-terraform.sh after it applied terraform-modules/examples/demo/{staging,prod}
// (and examples/service-root into staging). Environment:
//   AWS_ENDPOINT              emulator endpoint, e.g. http://127.0.0.1:4620
//   TF_WORK_DIR               directory holding <root>/data (TF_DATA_DIR) and <root>/terraform.tfstate
//   REPO_ROOT                 repository root (for scripts/terraform.sh)
//   SERVICE_ROOT_VARS         the -var values examples/service-root was applied with, e.g.
//                             "environment=staging name=ledger-api image=ghcr.io/acme/ledger-api:1.0.0"
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  GetParameterCommand,
  PutParameterCommand,
  ListTagsForResourceCommand as ListSsmTagsCommand,
} from '@aws-sdk/client-ssm';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { autoscalingClient, cloudWatchClient, ecsClient, iamClient, logsClient, ssmClient } from '@internal/dev-kit';
import { assertNothingReplaced, changedResources, endpoint, planWith, repoRoot, terraformIn, workDir } from './terraform.mjs';


const ecs = ecsClient(endpoint);
const ssm = ssmClient(endpoint);
const logs = logsClient(endpoint);
const iam = iamClient(endpoint);
const cloudwatch = cloudWatchClient(endpoint);
const autoscaling = autoscalingClient(endpoint);

const SERVICES = ['payments-api', 'checkout-web', 'search-api', 'search-indexer'];
const STAGES = {
  staging: {
    cluster: 'demo-staging',
    desiredCount: 1,
    images: {
      'payments-api': 'ghcr.io/acme/payments-api:1.4.0',
      'checkout-web': 'ghcr.io/acme/checkout-web:2.1.0',
      'search-api': 'ghcr.io/acme/search-api:0.9.1',
      'search-indexer': 'ghcr.io/acme/search-indexer:3.0.0',
    },
  },
  prod: {
    cluster: 'demo-prod',
    desiredCount: 2,
    images: {
      'payments-api': 'ghcr.io/acme/payments-api:1.3.2',
      'checkout-web': 'ghcr.io/acme/checkout-web:2.1.0',
      'search-api': 'ghcr.io/acme/search-api:0.9.1',
      'search-indexer': 'ghcr.io/acme/search-indexer:2.8.5',
    },
  },
};

const tagMap = tags => Object.fromEntries((tags ?? []).map(t => [t.key ?? t.Key, t.value ?? t.Value]));

function expectContractTags(tags, stage, name) {
  const m = tagMap(tags);
  assert.equal(m['backstage:entity-ref'], `component:default/${name}`);
  assert.equal(m['backstage:environment'], stage);
  assert.equal(m['ecs-deploy:image-parameter-prefix'], `/ecs-deploy/${stage}/${name}/image`);
}

/** Runs scripts/terraform.sh in an example root with that root's data dir and state. */
function terraform(root, args) {
  const dir = path.join(workDir, root.replaceAll('/', '_'));
  return terraformIn(path.join(repoRoot, 'terraform-modules/examples', root), path.join(dir, 'data'), args);
}

// The demo roots call ../modules/stage as module "stage"; the services are module calls inside it.
const serviceModule = name => `module.stage.module.service["${name}"]`;

for (const [stage, want] of Object.entries(STAGES)) {
  describe(`demo ${stage}`, () => {
    test('cluster exists with Fargate capacity providers and environment tag', async () => {
      const { clusters } = await ecs.send(
        new DescribeClustersCommand({ clusters: [want.cluster], include: ['TAGS', 'SETTINGS'] }),
      );
      assert.equal(clusters.length, 1);
      assert.equal(clusters[0].status, 'ACTIVE');
      assert.equal(tagMap(clusters[0].tags)['backstage:environment'], stage);
      assert.deepEqual([...(clusters[0].capacityProviders ?? [])].sort(), ['FARGATE', 'FARGATE_SPOT']);
    });

    test('environment document is published in SSM', async () => {
      const { Parameter } = await ssm.send(
        new GetParameterCommand({ Name: `/ecs-deploy/environments/${stage}` }),
      );
      assert.equal(Parameter.Type, 'String');
      const doc = JSON.parse(Parameter.Value);
      assert.equal(doc.name, stage);
      assert.equal(doc.cluster_name, want.cluster);
      assert.match(doc.cluster_arn, new RegExp(`:cluster/${want.cluster}$`));
      assert.equal(doc.region, 'us-east-1');
      assert.equal(doc.subnet_ids.length, 2);
      assert.equal(doc.security_group_ids.length, 1);
      assert.match(doc.listener_arn, new RegExp(`:listener/app/${want.cluster}/`));
      assert.equal(doc.log_retention_in_days, 14);
    });

    test('services: name, desired count, Fargate, tags, circuit breaker', async () => {
      const { serviceArns } = await ecs.send(new ListServicesCommand({ cluster: want.cluster }));
      for (const name of SERVICES) {
        assert.ok(serviceArns.some(a => a.endsWith(`/${name}`)), `service ${name} listed`);
      }
      const { services } = await ecs.send(
        new DescribeServicesCommand({ cluster: want.cluster, services: SERVICES, include: ['TAGS'] }),
      );
      assert.equal(services.length, SERVICES.length);
      for (const svc of services) {
        assert.equal(svc.status, 'ACTIVE');
        assert.equal(svc.desiredCount, want.desiredCount, `${svc.serviceName} desired count`);
        assert.equal(svc.launchType, 'FARGATE');
        assert.equal(svc.propagateTags, 'SERVICE');
        assert.equal(svc.enableECSManagedTags, true);
        assert.match(svc.taskDefinition, new RegExp(`:task-definition/${svc.serviceName}-${stage}:\\d+$`));
        expectContractTags(svc.tags, stage, svc.serviceName);
        const breaker = svc.deploymentConfiguration?.deploymentCircuitBreaker;
        assert.deepEqual({ enable: breaker?.enable, rollback: breaker?.rollback }, { enable: true, rollback: true });
      }
    });

    test('task definitions: family, image, awslogs configuration, tags', async () => {
      for (const name of SERVICES) {
        const { taskDefinition: td, tags } = await ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: `${name}-${stage}`, include: ['TAGS'] }),
        );
        assert.equal(td.family, `${name}-${stage}`);
        assert.deepEqual(td.requiresCompatibilities, ['FARGATE']);
        assert.equal(td.networkMode, 'awsvpc');
        assert.equal(td.cpu, '256');
        assert.equal(td.memory, '512');
        assert.equal(td.containerDefinitions.length, 1);
        const c = td.containerDefinitions[0];
        assert.equal(c.name, name);
        assert.equal(c.image, want.images[name]);
        assert.equal(c.portMappings[0].containerPort, 8080);
        assert.equal(c.logConfiguration.logDriver, 'awslogs');
        assert.deepEqual(c.logConfiguration.options, {
          'awslogs-group': `/ecs/${stage}/${name}`,
          'awslogs-region': 'us-east-1',
          'awslogs-stream-prefix': 'ecs',
        });
        expectContractTags(tags, stage, name);
      }
    });

    test('log groups /ecs/<environment>/<name> with the environment retention', async () => {
      const { logGroups } = await logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: `/ecs/${stage}/` }),
      );
      for (const name of SERVICES) {
        const g = logGroups.find(l => l.logGroupName === `/ecs/${stage}/${name}`);
        assert.ok(g, `log group /ecs/${stage}/${name}`);
        assert.equal(g.retentionInDays, 14);
      }
    });

    test('image parameters hold the images and carry the tags', async () => {
      for (const name of SERVICES) {
        const paramName = `/ecs-deploy/${stage}/${name}/image/${name}`;
        const { Parameter } = await ssm.send(new GetParameterCommand({ Name: paramName }));
        assert.equal(Parameter.Type, 'String');
        assert.equal(Parameter.Value, want.images[name]);
        const { TagList } = await ssm.send(
          new ListSsmTagsCommand({ ResourceType: 'Parameter', ResourceId: paramName }),
        );
        expectContractTags(TagList, stage, name);
      }
    });

    test('deployment alarms: created per service, watched by ECS with rollback', async () => {
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: want.cluster, services: SERVICES }));
      for (const svc of services) {
        const names = ['http-5xx-rate', 'latency-p95', 'running-below-desired'].map(k => `${svc.serviceName}-${stage}-${k}`);
        const { alarmNames, enable, rollback } = svc.deploymentConfiguration?.alarms ?? {};
        assert.deepEqual({ alarmNames: [...(alarmNames ?? [])].sort(), enable, rollback }, { alarmNames: names, enable: true, rollback: true });
        const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));
        assert.deepEqual(MetricAlarms.map(a => a.AlarmName).sort(), [...names].sort());
        const rate = MetricAlarms.find(a => a.AlarmName.endsWith('http-5xx-rate'));
        const counts = rate.Metrics.filter(m => m.MetricStat).map(m => m.MetricStat.Metric);
        assert.deepEqual(counts.map(m => m.MetricName).sort(), ['HTTPCode_Target_5XX_Count', 'RequestCount']);
        assert.match(counts[0].Dimensions.find(d => d.Name === 'LoadBalancer').Value, new RegExp(`^app/${want.cluster}/`));
        assert.equal(svc.loadBalancers?.length, 1, `${svc.serviceName} is behind the environment's ALB`);
      }
    });

    test('deployment strategy parameters: checkout-web canary, the others rolling', async () => {
      for (const name of SERVICES) {
        const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `/ecs-deploy/${stage}/${name}/deployment-strategy` }));
        const doc = JSON.parse(Parameter.Value);
        if (name === 'checkout-web') {
          assert.deepEqual(doc.deploymentConfiguration, {
            strategy: 'CANARY', bakeTimeInMinutes: 1, canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 1 },
          });
          const [lb] = doc.loadBalancers;
          assert.match(lb.advancedConfiguration.alternateTargetGroupArn, /:targetgroup\//);
          assert.notEqual(lb.advancedConfiguration.alternateTargetGroupArn, lb.targetGroupArn);
          assert.match(lb.advancedConfiguration.roleArn, new RegExp(`:role/checkout-web-${stage}-ecs-infra$`));
        } else {
          assert.deepEqual(doc, { version: 1, type: 'rolling', deploymentConfiguration: { strategy: 'ROLLING' }, loadBalancers: [] });
        }
      }
    });

    test('IAM roles exist, tagged; the execution role may write the log group', async () => {
      for (const name of SERVICES) {
        for (const kind of ['execution', 'task']) {
          const { Role } = await iam.send(new GetRoleCommand({ RoleName: `${name}-${stage}-${kind}` }));
          expectContractTags(Role.Tags, stage, name);
        }
        const { PolicyDocument } = await iam.send(
          new GetRolePolicyCommand({ RoleName: `${name}-${stage}-execution`, PolicyName: 'ecs-task-execution' }),
        );
        const doc = JSON.parse(decodeURIComponent(PolicyDocument));
        const write = doc.Statement.find(s => s.Sid === 'WriteLogs');
        assert.match(write.Resource, new RegExp(`log-group:/ecs/${stage}/${name}:\\*$`));
      }
    });
  });
}

describe('service root through ecs-environment-ref', () => {
  test('ledger-api runs in demo-staging with the published network', async () => {
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'demo-staging', services: ['ledger-api'], include: ['TAGS'] }),
    );
    assert.equal(services.length, 1);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/ecs-deploy/environments/staging' }));
    const doc = JSON.parse(Parameter.Value);
    assert.deepEqual(
      [...services[0].networkConfiguration.awsvpcConfiguration.subnets].sort(),
      [...doc.subnet_ids].sort(),
    );
    expectContractTags(services[0].tags, 'staging', 'ledger-api');
  });
});

/** The plan of an example root; returns exit code, text and the JSON plan. */
function planJson(root, vars = []) {
  const planFile = path.join(workDir, `${root.replaceAll('/', '_')}.tfplan`);
  return planWith(args => terraform(root, args), planFile, vars);
}

const allResources = m => [...(m.resources ?? []), ...(m.child_modules ?? []).flatMap(allResources)];

/**
 * What the portal does to deploy a revision without Terraform (promotion, and rollback as a roll
 * forward): register a new revision of the family copying `source` (every registrable field and the
 * tags) with the given container images, write each image to its parameter, then UpdateService.
 * Returns the registered task definition.
 */
async function rollServiceTo({ cluster, stage, service, source, images }) {
  const { taskDefinition: td, tags } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: source, include: ['TAGS'] }),
  );
  const copyKeys = [
    'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes',
    'placementConstraints', 'requiresCompatibilities', 'cpu', 'memory', 'pidMode', 'ipcMode',
    'proxyConfiguration', 'inferenceAccelerators', 'ephemeralStorage', 'runtimePlatform',
  ];
  const input = Object.fromEntries(copyKeys.filter(k => td[k] !== undefined).map(k => [k, td[k]]));
  input.containerDefinitions = td.containerDefinitions.map(c => ({ ...c, image: images[c.name] ?? c.image }));
  if (tags?.length) input.tags = tags;
  const { taskDefinition: registered } = await ecs.send(new RegisterTaskDefinitionCommand(input));
  for (const c of input.containerDefinitions) {
    await ssm.send(new PutParameterCommand({
      Name: `/ecs-deploy/${stage}/${service}/image/${c.name}`, Value: c.image, Type: 'String', Overwrite: true,
    }));
  }
  await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: registered.taskDefinitionArn }));
  return registered;
}

/** Asserts that the prod plan is empty (exit 0) and that Terraform tracks `revision` with `image`. */
function assertProdPlanClean(t, name, revision, image) {
  const { code, out, json } = planJson('demo/prod');
  const changed = changedResources(json);
  if (code !== 0 || changed.length) t.diagnostic(out);
  assert.deepEqual(changed.map(r => r.address), [], 'no planned resource change');
  assert.equal(code, 0, 'terraform plan -detailed-exitcode on prod');
  const tdState = allResources(json.prior_state.values.root_module)
    .find(r => r.address === `${serviceModule(name)}.aws_ecs_task_definition.this`);
  assert.equal(tdState.values.arn, revision.taskDefinitionArn, 'Terraform tracks the latest revision');
  assert.equal(JSON.parse(tdState.values.container_definitions)[0].image, image);
}

describe('promotion contract', () => {
  const name = 'payments-api';
  const paramName = `/ecs-deploy/prod/${name}/image/${name}`;
  // The revision prod ran before the promotion: what the rollback goes back to.
  let beforePromotion;

  test('prod plan is clean before the promotion (baseline)', t => {
    const { code, out, json } = planJson('demo/prod');
    if (code !== 0) t.diagnostic(out);
    assert.deepEqual(changedResources(json).map(r => r.address), []);
    assert.equal(code, 0, 'terraform plan -detailed-exitcode on prod before the promotion');
  });

  test('portal promotion (new revision + image parameter + UpdateService) leaves the prod plan empty', async t => {
    const newImage = STAGES.staging.images[name];
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-prod', services: [name] }));
    beforePromotion = services[0].taskDefinition;

    const registered = await rollServiceTo({
      cluster: 'demo-prod', stage: 'prod', service: name, source: beforePromotion, images: { [name]: newImage },
    });
    assert.match(beforePromotion, /:(\d+)$/);
    assert.equal(registered.revision, Number(beforePromotion.split(':').pop()) + 1);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: paramName }));
    assert.equal(Parameter.Value, newImage);

    assertProdPlanClean(t, name, registered, newImage);
  });

  test('portal rollback as a roll forward (copy of the previous revision, its image in the parameter) leaves the prod plan empty', async t => {
    assert.ok(beforePromotion, 'the promotion test ran first');
    const { taskDefinition: previous } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: beforePromotion }));
    const previousImage = previous.containerDefinitions.find(c => c.name === name).image;
    assert.equal(previousImage, STAGES.prod.images[name]);

    // Same calls as a promotion, from the previous revision with its own images.
    const registered = await rollServiceTo({
      cluster: 'demo-prod', stage: 'prod', service: name, source: beforePromotion, images: {},
    });
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-prod', services: [name] }));
    assert.equal(services[0].taskDefinition, registered.taskDefinitionArn, 'the service runs the new revision');
    assert.ok(registered.revision > previous.revision + 1, 'a new revision, not the old one');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: paramName }));
    assert.equal(Parameter.Value, previousImage);

    assertProdPlanClean(t, name, registered, previousImage);
  });

  test('CI deploy path: write the image parameter, then terraform apply rolls a new revision', async t => {
    const name = 'search-api';
    const newImage = 'ghcr.io/acme/search-api:0.9.2';
    await ssm.send(
      new PutParameterCommand({ Name: `/ecs-deploy/staging/${name}/image/${name}`, Value: newImage, Type: 'String', Overwrite: true }),
    );
    const apply = terraform('demo/staging', [
      'apply', '-auto-approve', '-input=false', '-no-color', `-var=aws_endpoint=${endpoint}`,
    ]);
    if (apply.code !== 0) t.diagnostic(apply.out);
    assert.equal(apply.code, 0, 'terraform apply on staging');
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-staging', services: [name] }));
    const { taskDefinition: td } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: services[0].taskDefinition }),
    );
    assert.equal(td.containerDefinitions[0].image, newImage);
    assert.equal(td.family, `${name}-staging`);
    const again = planJson('demo/staging');
    if (again.code !== 0) t.diagnostic(again.out);
    assert.equal(again.code, 0, 'staging plan is clean after the CI deploy');
  });
});

describe('autoscaling switch (one service resource)', () => {
  const serviceRootVars = (process.env.SERVICE_ROOT_VARS ?? '').split(' ').filter(Boolean).map(v => `-var=${v}`);
  const scaling = '-var=autoscaling={ min_capacity = 2, max_capacity = 4 }';
  const resourceId = 'service/demo-staging/ledger-api';
  const apply = vars =>
    terraform('service-root', ['apply', '-auto-approve', '-input=false', '-no-color', `-var=aws_endpoint=${endpoint}`, ...vars]);
  const scalableTargets = async () =>
    (await autoscaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId] })))
      .ScalableTargets;

  test('planning autoscaling on for an existing service replaces nothing', t => {
    assert.ok(serviceRootVars.length, 'SERVICE_ROOT_VARS is set (run scripts/test-terraform.sh)');
    const plan = planJson('service-root', [...serviceRootVars, scaling]);
    assertNothingReplaced(t, plan, 'module.service.aws_ecs_service.this');
    assert.equal(plan.code, 2, 'the plan adds autoscaling');
    assert.deepEqual(
      changedResources(plan.json).map(rc => [rc.address, rc.change.actions.join()]),
      [
        ['module.service.aws_appautoscaling_policy.cpu[0]', 'create'],
        ['module.service.aws_appautoscaling_target.this[0]', 'create'],
      ],
      'only the scalable target and the policy are added',
    );
  });

  test('applying it creates the tagged scalable target and the CPU policy; the plan after it is empty', async t => {
    const applied = apply([...serviceRootVars, scaling]);
    if (applied.code !== 0) t.diagnostic(applied.out);
    assert.equal(applied.code, 0, 'terraform apply with autoscaling');
    assert.match(applied.out, /Apply complete! Resources: 2 added, 0 changed, 0 destroyed\./);
    const [target] = await scalableTargets();
    assert.deepEqual([target.MinCapacity, target.MaxCapacity], [2, 4]);
    const { Tags } = await autoscaling.send(new ListTagsForResourceCommand({ ResourceARN: target.ScalableTargetARN }));
    expectContractTags(Object.entries(Tags).map(([Key, Value]) => ({ Key, Value })), 'staging', 'ledger-api');
    const { ScalingPolicies } = await autoscaling.send(
      new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }),
    );
    assert.deepEqual(
      ScalingPolicies.map(p => [p.PolicyName, p.PolicyType, p.TargetTrackingScalingPolicyConfiguration.TargetValue]),
      [['ledger-api-staging-cpu', 'TargetTrackingScaling', 70]],
    );
    const again = planJson('service-root', [...serviceRootVars, scaling]);
    if (again.code !== 0) t.diagnostic(again.out);
    assert.equal(again.code, 0, 'terraform plan -detailed-exitcode after the apply');
  });

  test('switching it off deregisters the target; the plan after it is empty', async t => {
    const applied = apply(serviceRootVars);
    if (applied.code !== 0) t.diagnostic(applied.out);
    assert.equal(applied.code, 0, 'terraform apply without autoscaling');
    assert.match(applied.out, /Apply complete! Resources: 0 added, 0 changed, 2 destroyed\./);
    assert.deepEqual(await scalableTargets(), []);
    const again = planJson('service-root', serviceRootVars);
    if (again.code !== 0) t.diagnostic(again.out);
    assert.equal(again.code, 0, 'terraform plan -detailed-exitcode after switching off');
  });
});
