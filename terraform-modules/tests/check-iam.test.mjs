// scripts/check-iam.mjs: the actions derived from source (scripts/iam/sentActions.mjs), the policies
// rendered by Terraform and the comparison (scripts/iam/policies.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { actionsSentBy } from '../../scripts/iam/sentActions.mjs';
import {
  compare,
  grantedBy,
  renderPolicies,
} from '../../scripts/iam/policies.mjs';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** A plugin under .run (so that @aws-sdk resolves from the repository's node_modules). */
function fixturePlugin(t, files) {
  mkdirSync(path.join(repoRoot, '.run'), { recursive: true });
  const dir = mkdtempSync(path.join(repoRoot, '.run/check-iam-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('actions come from the commands the source constructs, with their IAM prefixes and dependent actions', t => {
  const dir = fixturePlugin(t, {
    'package.json': '{ "name": "fixture" }',
    'src/read.ts': [
      "import { DescribeServicesCommand as Describe, type Service, ListTasksCommand } from '@aws-sdk/client-ecs';",
      "import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';",
      "import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';",
      "import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';",
      "import type { PutParameterCommand } from '@aws-sdk/client-ssm';",
      'export const calls = (s: Service) => [new Describe({ services: [s.serviceName!] }), new RegisterTaskDefinitionCommand({ family: "f", containerDefinitions: [] }), new GetMetricDataCommand({ MetricDataQueries: [], StartTime: new Date(), EndTime: new Date() }), new FilterLogEventsCommand({})];',
      // Imported, never constructed: not sent.
      'export const unused = ListTasksCommand;',
    ].join('\n'),
    'src/read.test.ts':
      "import { DeleteServiceCommand } from '@aws-sdk/client-ecs';\nnew DeleteServiceCommand({ service: 's' });\n",
    'src/__testUtils__/seed.ts':
      "import { CreateServiceCommand } from '@aws-sdk/client-ecs';\nnew CreateServiceCommand({ serviceName: 's' });\n",
  });
  const sent = actionsSentBy(dir);
  assert.deepEqual(Object.keys(sent).sort(), [
    'cloudwatch:GetMetricData', // signing name "monitoring"
    'ecs:DescribeServices',
    'ecs:RegisterTaskDefinition',
    'ecs:TagResource',
    'iam:PassRole',
    'logs:FilterLogEvents',
  ]);
  assert.match(
    sent['ecs:DescribeServices'][0],
    /check-iam-[^/]+\/src\/read\.ts:6$/,
  );
});

test('the comparison names what is missing and what is unused', () => {
  const sent = {
    'ecs:DescribeServices': ['a.ts:1'],
    'ecs:UpdateService': ['a.ts:2'],
  };
  assert.deepEqual(
    compare(sent, new Set(['ecs:DescribeServices', 'ecs:ListServices'])),
    {
      used: ['ecs:DescribeServices', 'ecs:UpdateService'],
      missing: ['ecs:UpdateService'],
      unused: ['ecs:ListServices'],
    },
  );
});

test('grants are read from Allow statements; a Deny is refused, not silently counted', () => {
  const allow = JSON.stringify({
    Statement: [
      { Effect: 'Allow', Action: 'ssm:GetParameter' },
      { Effect: 'Allow', Action: ['ecs:ListTasks', 'ssm:GetParameter'] },
    ],
  });
  assert.deepEqual([...grantedBy([allow])].sort(), [
    'ecs:ListTasks',
    'ssm:GetParameter',
  ]);
  const deny = JSON.stringify({
    Statement: {
      Sid: 'NoDeletes',
      Effect: 'Deny',
      Action: 'ecs:DeleteService',
    },
  });
  assert.throws(() => grantedBy([deny]), /NoDeletes is not a plain Allow/);
});

test('portal-access renders the policies the check reads: the portal role (with the events queue consumer) and the Terraform role', () => {
  const rendered = renderPolicies();
  assert.deepEqual(Object.keys(rendered.portal_policy_documents).sort(), [
    'ecs-deploy',
    'events',
  ]);
  const portal = grantedBy(Object.values(rendered.portal_policy_documents));
  assert.ok(portal.has('ecs:UpdateService') && portal.has('iam:PassRole'));
  assert.ok(portal.has('sqs:ReceiveMessage') && portal.has('sqs:DeleteMessage'));
  const terraform = grantedBy([rendered.terraform_policy_json]);
  assert.ok(
    terraform.has('ecs:CreateService') && !terraform.has('ec2:CreateVpc'),
    'the Terraform role for services, without manage_environments',
  );
});
