// The demo across accounts against the local AWS emulator: staging in 111111111111, prod in 222222222222,
// each applied from the main account (123456789012) by `ECS_DEPLOY_CROSS_ACCOUNT=1 scripts/demo-aws.sh apply`
// (examples/demo/access through the account's bootstrap role, then the stage through the Terraform role
// that portal-access created there). Run by scripts/test-terraform.sh after that apply, with
// ECS_DEPLOY_TF_DEBUG_LOGS=1 so that every AWS call Terraform made is in the provider's debug logs.
// The last test destroys the demo through the same roles. Environment: see integration.test.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  TEST_ACCOUNT,
  TEST_REGION,
  assumeRoleCredentials,
  ecsClient,
  eventBridgeClient,
  iamClient,
  sqsClient,
  ssmClient,
} from '@internal/dev-kit';
import { changedResources, endpoint, planWith, repoRoot, terraformIn } from './terraform.mjs';

const ACCOUNTS = { staging: '111111111111', prod: '222222222222' };
const PORTAL = { role: 'backstage-ecs-deploy', externalId: 'ecs-deploy-local' };
const TERRAFORM = { role: 'ecs-deploy-terraform', externalId: 'ecs-deploy-terraform-local' };
const BOOTSTRAP_ROLE = process.env.ECS_DEPLOY_BOOTSTRAP_ROLE ?? 'OrganizationAccountAccessRole';
const stateDir = path.join(repoRoot, '.run/demo-state', new URL(endpoint).port);
const roleArn = (stage, name) => `arn:aws:iam::${ACCOUNTS[stage]}:role/${name}`;
const outputs = stage =>
  JSON.parse(readFileSync(path.join(stateDir, `access-${stage}.tfstate`), 'utf8')).outputs;

/** Clients acting in a stage's account through one of its roles. */
async function clientsAs(stage, role, externalId) {
  const credentials = await assumeRoleCredentials({ endpoint, roleArn: roleArn(stage, role), externalId });
  return {
    ecs: ecsClient(endpoint, TEST_REGION, credentials),
    ssm: ssmClient(endpoint, TEST_REGION, credentials),
    iam: iamClient(endpoint, TEST_REGION, credentials),
    sqs: sqsClient(endpoint, TEST_REGION, credentials),
    events: eventBridgeClient(endpoint, TEST_REGION, credentials),
  };
}
const asPortal = stage => clientsAs(stage, PORTAL.role, PORTAL.externalId);
const asBootstrap = stage => clientsAs(stage, BOOTSTRAP_ROLE);

/** Whether the emulator checks AssumeRole against the role and its trust policy (moto alone does not). */
async function emulatorValidatesAssumeRole() {
  try {
    await assumeRoleCredentials({ endpoint, roleArn: `arn:aws:iam::${ACCOUNTS.staging}:role/no-such-role-${Date.now()}` });
    return false;
  } catch {
    return true;
  }
}

/** Runs a demo stage root with its state, as scripts/demo-aws.sh does, through its Terraform role. */
function stageTerraform(stage, args) {
  return terraformIn(
    path.join(repoRoot, 'terraform-modules/examples/demo', stage),
    path.join(stateDir, `${stage}.data`),
    args,
    { TF_LOG_PROVIDER: 'DEBUG', TF_LOG_PATH: path.join(stateDir, `${stage}-test-plan.tf.log`) },
  );
}
const terraformRoleVar = stage =>
  `-var=assume_role={ role_arn = "${roleArn(stage, TERRAFORM.role)}", external_id = "${TERRAFORM.externalId}" }`;

// Provider debug logs: one entry per line that starts with a timestamp; a request names its service
// and operation (rpc.service, rpc.method). Service names to IAM action prefixes:
const IAM_PREFIX = {
  'Application Auto Scaling': 'application-autoscaling', CloudWatch: 'cloudwatch', 'CloudWatch Logs': 'logs',
  EC2: 'ec2', ECS: 'ecs', 'Elastic Load Balancing v2': 'elasticloadbalancing', IAM: 'iam', SSM: 'ssm', STS: 'sts',
};
// The provider's own calls that no role grants: assuming the role (the caller's permission in the main
// account) and looking up the account ID (iam:GetUser is tried first and may fail; GetCallerIdentity
// needs no permission).
const PROVIDER_OWN = new Set(['sts:AssumeRole', 'iam:GetUser', 'sts:GetCallerIdentity']);

function actionsIn(logFile) {
  const actions = new Set();
  for (const entry of readFileSync(logFile, 'utf8').split(/\n(?=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)/)) {
    if (!entry.includes('HTTP Request Sent')) continue;
    const service = /rpc\.service=("[^"]*"|\S+)/.exec(entry)?.[1].replaceAll('"', '');
    const method = /rpc\.method=(\S+)/.exec(entry)?.[1];
    assert.ok(service && method, `a request without service or operation in ${logFile}`);
    assert.ok(IAM_PREFIX[service], `no IAM prefix known for service ${service}`);
    actions.add(`${IAM_PREFIX[service]}:${method}`);
  }
  return actions;
}

for (const [stage, other] of [['staging', 'prod'], ['prod', 'staging']]) {
  describe(`${stage} in account ${ACCOUNTS[stage]}`, () => {
    test(`cluster demo-${stage} and its services exist in ${ACCOUNTS[stage]} and not in ${ACCOUNTS[other]}`, async () => {
      const own = await asPortal(stage);
      const { clusters } = await own.ecs.send(new DescribeClustersCommand({ clusters: [`demo-${stage}`] }));
      assert.equal(clusters[0]?.clusterArn, `arn:aws:ecs:${TEST_REGION}:${ACCOUNTS[stage]}:cluster/demo-${stage}`);
      const { serviceArns } = await own.ecs.send(new ListServicesCommand({ cluster: `demo-${stage}` }));
      assert.equal(serviceArns.length, 7); // the demo's services (terraform-modules/examples/demo)

      const elsewhere = await asPortal(other);
      const { clusters: none, failures } = await elsewhere.ecs.send(
        new DescribeClustersCommand({ clusters: [`demo-${stage}`] }),
      );
      assert.deepEqual(none, []);
      assert.equal(failures[0]?.reason, 'MISSING');
    });

    test('the portal role trusts the main account with the external ID, and carries the module\'s policies', async () => {
      const admin = await asBootstrap(stage);
      const { Role } = await admin.iam.send(new GetRoleCommand({ RoleName: PORTAL.role }));
      const trust = JSON.parse(decodeURIComponent(Role.AssumeRolePolicyDocument));
      assert.deepEqual(trust.Statement[0].Principal, { AWS: [`arn:aws:iam::${TEST_ACCOUNT}:root`] });
      assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { 'sts:ExternalId': PORTAL.externalId } });

      const documents = outputs(stage).portal_policy_documents.value;
      assert.deepEqual(Object.keys(documents).sort(), ['ecs-deploy', 'events']);
      for (const [name, json] of Object.entries(documents)) {
        const { PolicyDocument } = await admin.iam.send(new GetRolePolicyCommand({ RoleName: PORTAL.role, PolicyName: name }));
        assert.deepEqual(JSON.parse(decodeURIComponent(PolicyDocument)), JSON.parse(json), `inline policy ${name}`);
      }
    });

    test('the portal role is refused without its external ID (when the emulator validates AssumeRole)', async t => {
      if (!(await emulatorValidatesAssumeRole())) {
        t.skip('this emulator accepts any AssumeRole (moto without the account layer)');
        return;
      }
      await assert.rejects(
        assumeRoleCredentials({ endpoint, roleArn: roleArn(stage, PORTAL.role) }),
        /AccessDenied/,
      );
      await assert.rejects(
        assumeRoleCredentials({ endpoint, roleArn: roleArn(stage, PORTAL.role), externalId: 'wrong' }),
        /AccessDenied/,
      );
    });

    test('ECS events of the account reach its queue (rule pattern, target and queue policy)', async () => {
      const own = await asPortal(stage);
      const serviceArn = `arn:aws:ecs:${TEST_REGION}:${ACCOUNTS[stage]}:service/demo-${stage}/payments-api`;
      const detail = { eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_COMPLETED', deploymentId: `ecs-svc/${Date.now()}` };
      const { FailedEntryCount } = await own.events.send(new PutEventsCommand({
        Entries: [
          { Source: 'aws.ecs', DetailType: 'ECS Deployment State Change', Resources: [serviceArn], Detail: JSON.stringify(detail) },
          // Another cluster's service: not the portal's, filtered out by the rule.
          { Source: 'aws.ecs', DetailType: 'ECS Deployment State Change', Resources: [serviceArn.replace(`demo-${stage}`, 'other')], Detail: JSON.stringify(detail) },
        ],
      }));
      assert.equal(FailedEntryCount, 0);
      const QueueUrl = outputs(stage).events_queue_url.value;
      // The queue also holds the events of the demo's own deployments: read until it is drained
      // (received messages stay invisible meanwhile), then keep ours.
      const received = [];
      for (let batch = 0; batch < 50; batch++) {
        const { Messages = [] } = await own.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        if (Messages.length === 0) break;
        received.push(...Messages.map(m => JSON.parse(m.Body)).filter(e => e.detail?.deploymentId === detail.deploymentId));
      }
      assert.deepEqual(received.map(e => [e['detail-type'], e.resources]), [['ECS Deployment State Change', [serviceArn]]]);
    });
  });
}

describe('a promotion into prod with the portal role', () => {
  test('the portal role reads staging and promotes prod; Terraform, through its role, then plans no change', async t => {
    const name = 'payments-api';
    const staging = await asPortal('staging');
    const prod = await asPortal('prod');
    const { services: [source] } = await staging.ecs.send(new DescribeServicesCommand({ cluster: 'demo-staging', services: [name] }));
    const { taskDefinition: stagingTd } = await staging.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: source.taskDefinition }));
    const image = stagingTd.containerDefinitions[0].image;

    const { services: [target] } = await prod.ecs.send(new DescribeServicesCommand({ cluster: 'demo-prod', services: [name] }));
    const { taskDefinition: td, tags } = await prod.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: target.taskDefinition, include: ['TAGS'] }),
    );
    const keys = ['family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'requiresCompatibilities', 'cpu', 'memory'];
    const input = Object.fromEntries(keys.map(k => [k, td[k]]));
    input.containerDefinitions = td.containerDefinitions.map(c => ({ ...c, image }));
    input.tags = tags;
    const { taskDefinition: registered } = await prod.ecs.send(new RegisterTaskDefinitionCommand(input));
    assert.match(registered.taskDefinitionArn, new RegExp(`:${ACCOUNTS.prod}:task-definition/${name}-prod:`));
    await prod.ssm.send(new PutParameterCommand({ Name: `/ecs-deploy/prod/${name}/image/${name}`, Value: image, Type: 'String', Overwrite: true }));
    await prod.ecs.send(new UpdateServiceCommand({ cluster: 'demo-prod', service: name, taskDefinition: registered.taskDefinitionArn }));
    const { Parameter } = await prod.ssm.send(new GetParameterCommand({ Name: `/ecs-deploy/prod/${name}/image/${name}` }));
    assert.equal(Parameter.Value, image);

    const plan = planWith(args => stageTerraform('prod', args), path.join(stateDir, 'prod-test.tfplan'), [terraformRoleVar('prod')]);
    if (plan.code !== 0) t.diagnostic(plan.out);
    assert.deepEqual(changedResources(plan.json).map(r => r.address), []);
    assert.equal(plan.code, 0, 'terraform plan -detailed-exitcode of prod through its Terraform role');
  });
});

describe('the demo destroyed through the same roles', () => {
  test('destroy, then: the Terraform role granted every call Terraform made to apply, plan and destroy', t => {
    // Read before the destroy empties the access roots' states.
    const granted = Object.fromEntries(['staging', 'prod'].map(stage => [
      stage, new Set(JSON.parse(outputs(stage).terraform_policy_json.value).Statement.flatMap(s => s.Action)),
    ]));
    try {
      execFileSync(path.join(repoRoot, 'scripts/demo-aws.sh'), ['destroy', endpoint], {
        env: { ...process.env, ECS_DEPLOY_CROSS_ACCOUNT: '1', ECS_DEPLOY_TF_DEBUG_LOGS: '1' },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      t.diagnostic(`${e.stdout}\n${e.stderr}`);
      throw e;
    }
    for (const stage of ['staging', 'prod']) {
      // <stage>-{init,apply,destroy}.tf.log from demo-aws.sh, prod-test-plan.tf.log from the test above.
      const logs = readdirSync(stateDir).filter(f => f.startsWith(`${stage}-`) && f.endsWith('.tf.log'));
      assert.ok(logs.includes(`${stage}-apply.tf.log`) && logs.includes(`${stage}-destroy.tf.log`), `apply and destroy logs of ${stage}: ${logs}`);
      const used = [...new Set(logs.flatMap(f => [...actionsIn(path.join(stateDir, f))]))].filter(a => !PROVIDER_OWN.has(a));
      assert.ok(['ecs:CreateService', 'ecs:DeleteService', 'ec2:CreateVpc', 'cloudwatch:PutMetricAlarm'].every(a => used.includes(a)), 'the logs hold the apply and the destroy');
      t.diagnostic(`${stage}: ${used.length} actions used, ${granted[stage].size} granted`);
      assert.deepEqual(used.filter(a => !granted[stage].has(a)).sort(), [], `actions Terraform used in ${stage} that its role does not grant`);
    }
  });
});
