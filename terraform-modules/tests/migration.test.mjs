// The move of a service from the addresses of the two-resource ecs-service module, against the local
// emulator: a root applied with that module (taken from git), then planned and applied with the current
// one. Run by scripts/test-terraform.sh next to integration.test.mjs, after the demo applied staging
// (the root finds the environment with ecs-environment-ref). Environment: see integration.test.mjs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { ecsClient } from '@internal/dev-kit';
import { assertNothingReplaced, changedResources, endpoint, planWith, repoRoot, terraformIn, workDir } from './terraform.mjs';

const ecs = ecsClient(endpoint);

// The last commit whose ecs-service had two service resources (aws_ecs_service.this[0] and
// aws_ecs_service.autoscaled[0]); its module writes the state that the moved blocks must take over.
const TWO_RESOURCE_MODULE_COMMIT = '7f1987c838c155341235183b6b9014a83d306180';

describe('state written by the two-resource module', () => {
  const root = path.join(workDir, 'legacy-root');
  const dataDir = path.join(root, '.data');
  const moduleDir = path.join(root, 'ecs-service');
  const run = args => terraformIn(root, dataDir, args);
  const apply = () => run(['apply', '-auto-approve', '-input=false', '-no-color', `-var=aws_endpoint=${endpoint}`]);
  const name = 'legacy-api';
  let created = false;

  test('apply a service with the two-resource module', async t => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    cpSync(path.join(repoRoot, 'terraform-modules/examples/service-root/providers.tf'), path.join(root, 'providers.tf'));
    writeFileSync(path.join(root, 'main.tf'), `terraform {
  backend "local" {}
}

variable "aws_endpoint" { type = string }
variable "region" { default = "us-east-1" }
variable "assume_role" { default = null }

module "environment" {
  source      = "${path.join(repoRoot, 'terraform-modules/ecs-environment-ref')}"
  environment = "staging"
}

module "service" {
  source        = "./ecs-service"
  name          = "${name}"
  entity_ref    = "component:default/${name}"
  environment   = module.environment.service_environment
  desired_count = 1
  containers    = [{ name = "${name}", image = "ghcr.io/acme/${name}:1.0.0", port = 8080 }]
}
`);
    const archive = execFileSync('git', ['-C', repoRoot, 'archive', TWO_RESOURCE_MODULE_COMMIT, 'terraform-modules/ecs-service'], { maxBuffer: 16 * 1024 * 1024 });
    const extracted = path.join(workDir, 'legacy-module');
    rmSync(extracted, { recursive: true, force: true });
    mkdirSync(extracted, { recursive: true });
    execFileSync('tar', ['-x', '-C', extracted], { input: archive });
    cpSync(path.join(extracted, 'terraform-modules/ecs-service'), moduleDir, { recursive: true });
    assert.match(readFileSync(path.join(moduleDir, 'main.tf'), 'utf8'), /resource "aws_ecs_service" "autoscaled"/);

    const init = run(['init', '-input=false', '-no-color', `-backend-config=path=${path.join(root, 'terraform.tfstate')}`]);
    if (init.code !== 0) t.diagnostic(init.out);
    assert.equal(init.code, 0, 'init');
    const applied = apply();
    if (applied.code !== 0) t.diagnostic(applied.out);
    assert.equal(applied.code, 0, 'apply with the two-resource module');
    const services = JSON.parse(readFileSync(path.join(root, 'terraform.tfstate'), 'utf8')).resources
      .filter(r => r.type === 'aws_ecs_service')
      .map(r => `${r.module}.${r.type}.${r.name}[${r.instances.map(i => i.index_key).join()}]`);
    assert.deepEqual(services, ['module.service.aws_ecs_service.this[0]']);
    const { services: running } = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-staging', services: [name] }));
    assert.equal(running[0]?.status, 'ACTIVE');
    created = true;
  });

  test('the current module moves the service and replaces nothing; after one apply the plan is clean', async t => {
    assert.ok(created, 'the previous test created the service');
    rmSync(moduleDir, { recursive: true, force: true });
    cpSync(path.join(repoRoot, 'terraform-modules/ecs-service'), moduleDir, { recursive: true });

    const plan = planWith(run, path.join(root, 'migrate.tfplan'));
    const service = assertNothingReplaced(t, plan, 'module.service.aws_ecs_service.this');
    assert.equal(service.previous_address, 'module.service.aws_ecs_service.this[0]');
    // Besides the move: what the two-resource module did not have yet (the running-below-desired
    // alarm and the deployment strategy parameter) is added, and the service gains them in place.
    assert.deepEqual(
      changedResources(plan.json).map(rc => [rc.address, rc.change.actions.join()]),
      [
        ['module.service.aws_cloudwatch_metric_alarm.this["running-below-desired"]', 'create'],
        ['module.service.aws_ecs_service.this', 'update'],
        ['module.service.aws_ssm_parameter.deployment_strategy', 'create'],
      ],
      'a move, the new resources, and the service updated in place',
    );

    const applied = apply();
    if (applied.code !== 0) t.diagnostic(applied.out);
    assert.equal(applied.code, 0, 'apply with the current module');
    assert.match(applied.out, /Resources: 2 added, 1 changed, 0 destroyed/);
    const again = planWith(run, path.join(root, 'again.tfplan'));
    if (again.code !== 0) t.diagnostic(again.out);
    assert.equal(again.code, 0, 'plan after the move is clean');
  });

  test('destroy the moved service', t => {
    const destroy = run(['destroy', '-auto-approve', '-input=false', '-no-color', `-var=aws_endpoint=${endpoint}`]);
    if (destroy.code !== 0) t.diagnostic(destroy.out);
    assert.equal(destroy.code, 0);
  });
});
