#!/usr/bin/env node
// Granted = used: compares the AWS actions the plugins' code sends with the policies that
// terraform-modules/portal-access renders, and fails on an action sent but not granted (missing)
// or granted but never sent (unused).
//   node scripts/check-iam.mjs          # one line per role, exit 1 on missing or unused
//   node scripts/check-iam.mjs --json   # also the lists: { roles: [{ role, used, granted, missing, unused }] }
//   node scripts/check-iam.mjs --calls e2e/artifacts/aws-calls.json
//       # granted = used at run time: every call recorded (the dev kit's counting proxy, e.g. during
//       # the journeys) is granted to the role that made it; "iam-journeys: N passed, N failed"
//
// Used: the SDK commands in each plugin's source (scripts/iam/sentActions.mjs). Granted: the Allow
// statements of the policy documents the module renders for a sample account
// (scripts/iam/policies.mjs).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { actionsSentBy } from './iam/sentActions.mjs';
import {
  compare,
  grantedBy,
  renderPolicies,
  ungrantedCalls,
} from './iam/policies.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');

/**
 * Which role each plugin's AWS calls are made with. A plugin that sends AWS calls and is not
 * listed fails the check. The scaffolder module's own calls (if any) run under the Terraform
 * role, like the Terraform it provisions with; what Terraform itself sends is checked against
 * that role by terraform-modules/tests/cross-account.test.mjs (from the provider's debug logs).
 */
const ROLES = [
  {
    plugin: 'ecs-deploy-backend',
    role: 'portal',
    output: 'portal_policy_documents',
    unusedIsError: true,
  },
  {
    plugin: 'scaffolder-backend-module-ecs-deploy',
    role: 'terraform',
    output: 'terraform_policy_json',
    unusedIsError: false,
  },
];

/**
 * --calls FILE ({ calls: [{ account, role?, action, count }] }): one check per caller, that its
 * recorded calls are granted by its role's policy. Prints "iam-journeys: N passed, N failed" and
 * writes $RESULTS_DIR/iam-journeys.counts; false when one failed or nothing was recorded.
 */
async function checkRecordedCalls(file, rendered) {
  const { checkRunner } = await import('@internal/dev-kit');
  const checks = checkRunner('iam-journeys');
  try {
    const { calls } = JSON.parse(readFileSync(file, 'utf8'));
    if (!calls?.length) throw new Error(`${file} records no AWS call`);
    for (const c of ungrantedCalls(calls, rendered)) {
      await checks.check(
        `${c.account} ${c.role ?? '(main account)'}: every call granted (${
          c.policy
        })`,
        () => {
          if (c.missing.length > 0)
            throw new Error(
              `not granted: ${c.missing.join(', ')} (recorded: ${c.actions.join(
                ', ',
              )})`,
            );
          return `${c.actions.length} actions in ${
            c.calls
          } calls: ${c.actions.join(', ')}`;
        },
      );
    }
  } catch (e) {
    checks.fail(`the calls recorded in ${file}`, e);
  }
  return checks.finish();
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      calls: { type: 'string' },
    },
  });
  const rendered = renderPolicies();
  if (args.calls) {
    process.exitCode = (await checkRecordedCalls(args.calls, rendered)) ? 0 : 1;
    return;
  }
  const plugins = readdirSync(path.join(repoRoot, 'plugins')).filter(p =>
    statSync(path.join(repoRoot, 'plugins', p, 'src'), {
      throwIfNoEntry: false,
    })?.isDirectory(),
  );
  const results = [];
  let failed = false;
  for (const plugin of plugins) {
    const sent = actionsSentBy(path.join(repoRoot, 'plugins', plugin));
    const role = ROLES.find(r => r.plugin === plugin);
    if (!role) {
      if (Object.keys(sent).length > 0) {
        console.error(
          `plugins/${plugin} sends ${Object.keys(sent)
            .sort()
            .join(
              ', ',
            )} but check-iam knows no role for it (ROLES in scripts/check-iam.mjs)`,
        );
        failed = true;
      }
      continue;
    }
    const value = rendered[role.output];
    const granted = grantedBy(
      typeof value === 'string' ? [value] : Object.values(value),
    );
    const { used, missing, unused: notSent } = compare(sent, granted);
    const unused = role.unusedIsError ? notSent : [];
    for (const a of missing)
      console.error(
        `missing: ${a} (sent at ${sent[a].join(', ')}) is not granted to the ${
          role.role
        } role`,
      );
    for (const a of unused)
      console.error(
        `unused: ${a} is granted to the ${role.role} role but no code sends it`,
      );
    failed ||= missing.length > 0 || unused.length > 0;
    console.log(
      role.unusedIsError
        ? `${role.role} role (plugins/${plugin}): ${used.length} actions used, ${granted.size} granted, ${missing.length} missing, ${unused.length} unused`
        : `${role.role} role (plugins/${plugin}): ${used.length} actions used, ${granted.size} granted, ${missing.length} missing (the rest is Terraform's: terraform-modules/tests/cross-account.test.mjs)`,
    );
    results.push({
      role: role.role,
      plugin,
      used,
      granted: [...granted].sort(),
      missing,
      unused,
    });
  }
  if (args.json) console.log(JSON.stringify({ roles: results }, null, 2));
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
