// Integration tests of the demo roots against a local AWS emulator (moto), with the AWS SDK v3.
// Run by scripts/test-terraform.sh after it applied terraform-modules/examples/demo/{staging,prod}
// (and examples/service-root into staging). Environment:
//   AWS_ENDPOINT              emulator endpoint, e.g. http://127.0.0.1:4620
//   TF_WORK_DIR               directory holding <root>/data (TF_DATA_DIR) and <root>/terraform.tfstate
//   REPO_ROOT                 repository root (for scripts/terraform.sh)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ECSClient,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  SSMClient,
  GetParameterCommand,
  PutParameterCommand,
  ListTagsForResourceCommand as ListSsmTagsCommand,
} from '@aws-sdk/client-ssm';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';

const endpoint = process.env.AWS_ENDPOINT;
const workDir = process.env.TF_WORK_DIR;
const repoRoot = process.env.REPO_ROOT ?? path.resolve(import.meta.dirname, '../..');
if (!endpoint || !workDir) {
  throw new Error('AWS_ENDPOINT and TF_WORK_DIR must be set (run scripts/test-terraform.sh)');
}

const clientConfig = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const ecs = new ECSClient(clientConfig);
const ssm = new SSMClient(clientConfig);
const logs = new CloudWatchLogsClient(clientConfig);
const iam = new IAMClient(clientConfig);

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

/** Runs scripts/terraform.sh in a demo root with that root's data dir and state. */
function terraform(root, args) {
  const dir = path.join(workDir, root.replaceAll('/', '_'));
  const res = spawnSync(
    path.join(repoRoot, 'scripts/terraform.sh'),
    [`-chdir=${path.join(repoRoot, 'terraform-modules/examples', root)}`, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, TF_DATA_DIR: path.join(dir, 'data'), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return { code: res.status, out: `${res.stdout}\n${res.stderr}` };
}

// The demo roots call ../modules/stage as module "stage"; the services are module calls inside it.
const serviceModule = name => `module.stage.module.service["${name}"]`;

function stateResources(root) {
  const file = path.join(workDir, root.replaceAll('/', '_'), 'terraform.tfstate');
  return JSON.parse(readFileSync(file, 'utf8')).resources;
}

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
      assert.equal(doc.listener_arn, null);
      assert.equal(doc.log_retention_in_days, 14);
    });

    test('services: name, desired count, Fargate, tags, circuit breaker', async t => {
      const { serviceArns } = await ecs.send(new ListServicesCommand({ cluster: want.cluster }));
      for (const name of SERVICES) {
        assert.ok(serviceArns.some(a => a.endsWith(`/${name}`)), `service ${name} listed`);
      }
      const { services } = await ecs.send(
        new DescribeServicesCommand({ cluster: want.cluster, services: SERVICES, include: ['TAGS'] }),
      );
      assert.equal(services.length, SERVICES.length);
      const state = stateResources(`demo/${stage}`).filter(r => r.type === 'aws_ecs_service');
      for (const svc of services) {
        assert.equal(svc.status, 'ACTIVE');
        assert.equal(svc.desiredCount, want.desiredCount, `${svc.serviceName} desired count`);
        assert.equal(svc.launchType, 'FARGATE');
        assert.equal(svc.propagateTags, 'SERVICE');
        assert.equal(svc.enableECSManagedTags, true);
        assert.match(svc.taskDefinition, new RegExp(`:task-definition/${svc.serviceName}-${stage}:\\d+$`));
        expectContractTags(svc.tags, stage, svc.serviceName);
        const breaker = svc.deploymentConfiguration?.deploymentCircuitBreaker;
        if (breaker) {
          assert.deepEqual({ enable: breaker.enable, rollback: breaker.rollback }, { enable: true, rollback: true });
        } else {
          // moto 5.2.1 does not keep deploymentConfiguration from CreateService: check what
          // Terraform sent instead (the state of the service resource).
          const inst = state.find(r => r.module === serviceModule(svc.serviceName)).instances[0];
          assert.deepEqual(inst.attributes.deployment_circuit_breaker, [{ enable: true, rollback: true }]);
          t.diagnostic(`${svc.serviceName}: circuit breaker checked in Terraform state (emulator omits it)`);
        }
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

/** The plan of a root; returns exit code, text and the JSON plan. */
function planJson(root) {
  const planFile = path.join(workDir, `${root.replaceAll('/', '_')}.tfplan`);
  const plan = terraform(root, [
    'plan', '-detailed-exitcode', '-input=false', '-no-color', `-var=aws_endpoint=${endpoint}`, `-out=${planFile}`,
  ]);
  const show = terraform(root, ['show', '-json', planFile]);
  const json = show.code === 0 ? JSON.parse(show.out.slice(show.out.indexOf('{'), show.out.lastIndexOf('}') + 1)) : null;
  return { ...plan, json };
}

function changedResources(json) {
  return (json?.resource_changes ?? []).filter(
    rc => !rc.change.actions.every(a => a === 'no-op' || a === 'read'),
  );
}

describe('promotion contract', () => {
  test('prod plan is clean before the promotion (baseline)', t => {
    const { code, out, json } = planJson('demo/prod');
    if (code !== 0) t.diagnostic(out);
    assert.deepEqual(changedResources(json).map(r => r.address), []);
    assert.equal(code, 0, 'terraform plan -detailed-exitcode on prod before the promotion');
  });

  test('portal promotion (new revision + image parameter + UpdateService) leaves the prod plan empty', async t => {
    const name = 'payments-api';
    const newImage = STAGES.staging.images[name];
    const paramName = `/ecs-deploy/prod/${name}/image/${name}`;

    // (a) copy the current task definition of the prod service, image changed only.
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-prod', services: [name] }));
    const current = services[0].taskDefinition;
    const { taskDefinition: td, tags } = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: current, include: ['TAGS'] }),
    );
    const copyKeys = [
      'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes',
      'placementConstraints', 'requiresCompatibilities', 'cpu', 'memory', 'pidMode', 'ipcMode',
      'proxyConfiguration', 'inferenceAccelerators', 'ephemeralStorage', 'runtimePlatform',
    ];
    const input = Object.fromEntries(copyKeys.filter(k => td[k] !== undefined).map(k => [k, td[k]]));
    input.containerDefinitions = td.containerDefinitions.map(c => (c.name === name ? { ...c, image: newImage } : c));
    if (tags?.length) input.tags = tags;
    const { taskDefinition: registered } = await ecs.send(new RegisterTaskDefinitionCommand(input));
    assert.equal(registered.revision, td.revision + 1);

    // (b) record the image where Terraform reads it.
    await ssm.send(new PutParameterCommand({ Name: paramName, Value: newImage, Type: 'String', Overwrite: true }));

    // (c) roll the service to the new revision.
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-prod', service: name, taskDefinition: registered.taskDefinitionArn }),
    );

    const { code, out, json } = planJson('demo/prod');
    const changed = changedResources(json);
    if (code !== 0 || changed.length) t.diagnostic(out);
    const imageChanges = changed.filter(rc => JSON.stringify(rc.change).includes(newImage));
    assert.deepEqual(imageChanges.map(r => r.address), [], 'no planned change touches the image');
    assert.deepEqual(changed.map(r => r.address), [], 'no planned resource change');
    assert.equal(code, 0, 'terraform plan -detailed-exitcode on prod after the promotion');

    // Terraform now tracks the promoted revision and image.
    const allResources = m => [...(m.resources ?? []), ...(m.child_modules ?? []).flatMap(allResources)];
    const tdState = allResources(json.prior_state.values.root_module)
      .find(r => r.address === `${serviceModule(name)}.aws_ecs_task_definition.this`);
    assert.equal(tdState.values.arn, registered.taskDefinitionArn);
    assert.equal(JSON.parse(tdState.values.container_definitions)[0].image, newImage);
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
