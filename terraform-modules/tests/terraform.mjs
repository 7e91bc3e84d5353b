// Helpers of the integration tests (integration.test.mjs, migration.test.mjs): running Terraform in a
// root and reading its plans. Environment: see integration.test.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const endpoint = process.env.AWS_ENDPOINT;
export const workDir = process.env.TF_WORK_DIR;
export const repoRoot = process.env.REPO_ROOT ?? path.resolve(import.meta.dirname, '../..');
if (!endpoint || !workDir) {
  throw new Error('AWS_ENDPOINT and TF_WORK_DIR must be set (run scripts/test-terraform.sh)');
}

/** Runs scripts/terraform.sh in the configuration directory `chdir` with the data dir `dataDir` (and `env`). */
export function terraformIn(chdir, dataDir, args, env = {}) {
  const res = spawnSync(path.join(repoRoot, 'scripts/terraform.sh'), [`-chdir=${chdir}`, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, TF_DATA_DIR: dataDir, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: res.status, out: `${res.stdout}\n${res.stderr}` };
}

/** `run(args)` runs terraform in one root; returns exit code, text and the JSON of a saved plan. */
export function planWith(run, planFile, vars = []) {
  const plan = run([
    'plan', '-detailed-exitcode', '-input=false', '-no-color', `-var=aws_endpoint=${endpoint}`, ...vars, `-out=${planFile}`,
  ]);
  const show = run(['show', '-json', planFile]);
  const json = show.code === 0 ? JSON.parse(show.out.slice(show.out.indexOf('{'), show.out.lastIndexOf('}') + 1)) : null;
  return { ...plan, json };
}

/** Resource changes of a plan other than no-op and read. */
export function changedResources(json) {
  return (json?.resource_changes ?? []).filter(
    rc => !rc.change.actions.every(a => a === 'no-op' || a === 'read'),
  );
}

/** Addresses of the resources a plan destroys (delete, or replace = delete + create). */
export function destroyed(json) {
  return (json?.resource_changes ?? []).filter(rc => rc.change.actions.includes('delete')).map(rc => rc.address);
}

/** The plan destroys nothing (no delete, no replacement) and changes the service at most in place. */
export function assertNothingReplaced(t, plan, serviceAddress) {
  assert.ok(plan.json, 'the plan was saved and read back');
  if (destroyed(plan.json).length) t.diagnostic(plan.out);
  assert.deepEqual(destroyed(plan.json), [], 'nothing destroyed or replaced');
  assert.doesNotMatch(plan.out, /forces replacement|must be replaced/);
  const service = plan.json.resource_changes.find(rc => rc.address === serviceAddress);
  assert.ok(service, `${serviceAddress} is in the plan`);
  assert.ok(['no-op', 'update'].includes(service.change.actions.join()), `${serviceAddress}: ${service.change.actions}`);
  return service;
}
