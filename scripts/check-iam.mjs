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
// Used: every `new <X>Command(` in plugins/<plugin>/src (tests and test utilities excluded) whose
// <X>Command is imported from an @aws-sdk/client-* package, as `<prefix>:<X>`; the prefix is the
// client's SigV4 signing name (read from the installed package), the operation is the command's
// name. Plus the actions AWS authorises on top of a call (DEPENDENT_ACTIONS).
// Granted: the Allow statements of the policy documents the module renders for a sample account
// (`terraform console` on a root that calls the module; nothing is applied, no AWS is called).
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const repoRoot = path.resolve(import.meta.dirname, '..');
const MODULE_DIR = path.join(repoRoot, 'terraform-modules/portal-access');
const EVENTS_MODULE_DIR = path.join(
  repoRoot,
  'terraform-modules/portal-events',
);

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
 * Actions AWS authorises in addition to the call itself (the "Dependent actions" and condition
 * keys of the Service Authorization Reference): RegisterTaskDefinition passes the task and
 * execution roles (iam:PassRole) and, with tags, is authorised as ecs:TagResource too.
 */
const DEPENDENT_ACTIONS = {
  'ecs:RegisterTaskDefinition': ['iam:PassRole', 'ecs:TagResource'],
};

/**
 * API operations that IAM authorises as another action (batch operations have no IAM action of
 * their own: SQS's DeleteMessageBatch is authorised as sqs:DeleteMessage).
 */
const AUTHORISED_AS = {
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

/** SigV4 signing names whose IAM action prefix differs. */
const IAM_PREFIX_OF_SIGNING_NAME = { monitoring: 'cloudwatch', tagging: 'tag' };

/** The IAM prefix of an @aws-sdk/client-* package, from its SigV4 signing name. */
function iamPrefix(pkg, fromDir) {
  const require = createRequire(path.join(fromDir, 'package.json'));
  const root = path.dirname(require.resolve(`${pkg}/package.json`));
  const auth = readFileSync(
    path.join(root, 'dist-es/auth/httpAuthSchemeProvider.js'),
    'utf8',
  );
  const names = [
    ...new Set(
      [...auth.matchAll(/signingProperties:\s*\{\s*name:\s*"([^"]+)"/g)].map(
        m => m[1],
      ),
    ),
  ];
  if (names.length !== 1)
    throw new Error(
      `cannot read the signing name of ${pkg} (found ${JSON.stringify(names)})`,
    );
  return IAM_PREFIX_OF_SIGNING_NAME[names[0]] ?? names[0];
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory())
      return name === '__testUtils__' ? [] : sourceFiles(file);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$|^setupTests\.ts$/.test(name)
      ? [file]
      : [];
  });
}

/** Every AWS action a plugin's source sends: { action: [file:line, ...] }. */
export function actionsSentBy(pluginDir) {
  const sent = {};
  const prefixes = {};
  for (const file of sourceFiles(path.join(pluginDir, 'src'))) {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const commands = new Map(); // local name => action
    for (const statement of source.statements) {
      if (
        !ts.isImportDeclaration(statement) ||
        statement.importClause?.isTypeOnly
      )
        continue;
      const pkg = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (
        !pkg.startsWith('@aws-sdk/client-') ||
        !bindings ||
        !ts.isNamedImports(bindings)
      )
        continue;
      for (const spec of bindings.elements) {
        const imported = (spec.propertyName ?? spec.name).text;
        if (spec.isTypeOnly || !/^[A-Z]\w*Command$/.test(imported)) continue;
        prefixes[pkg] ??= iamPrefix(pkg, pluginDir);
        commands.set(
          spec.name.text,
          `${prefixes[pkg]}:${imported.slice(0, -'Command'.length)}`,
        );
      }
    }
    const visit = node => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        commands.has(node.expression.text)
      ) {
        const operation = commands.get(node.expression.text);
        const action = AUTHORISED_AS[operation] ?? operation;
        const line =
          source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        for (const a of [action, ...(DEPENDENT_ACTIONS[action] ?? [])]) {
          (sent[a] ??= []).push(`${path.relative(repoRoot, file)}:${line}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sent;
}

/**
 * The roles' names in the sample root: app-config.yaml's aws.accounts[].roleName and
 * ecsDeploy.scaffolder.terraformRole.roleName (the module's defaults, as examples/demo/access
 * creates them).
 */
const ROLE_NAMES = {
  portal: 'backstage-ecs-deploy',
  terraform: 'ecs-deploy-terraform',
};

/**
 * The module's roles for a sample account, rendered by Terraform: { portal_policy_documents,
 * terraform_policy_json, portal_role_name, terraform_role_name }.
 */
export function renderPolicies() {
  const dir = mkdtempSync(path.join(tmpdir(), 'check-iam-'));
  try {
    writeFileSync(
      path.join(dir, 'main.tf'),
      `
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "check-iam"
  secret_key                  = "check-iam"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

# The ECS events queue's consumer policy, as examples/portal attaches it to the portal role.
module "events" {
  source       = ${JSON.stringify(EVENTS_MODULE_DIR)}
  cluster_arns = ["arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging"]
}

module "access" {
  source                = ${JSON.stringify(MODULE_DIR)}
  environments          = [{ name = "staging", cluster_arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/platform-staging" }]
  portal_role_name      = "${ROLE_NAMES.portal}"
  portal_principal_arns = ["arn:aws:iam::123456789012:root"]
  external_id           = "check-iam"
  terraform_role        = { name = "${
    ROLE_NAMES.terraform
  }", principal_arns = ["arn:aws:iam::123456789012:root"] }
  additional_portal_policies = {
    events = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = module.events.consumer_actions, Resource = "arn:aws:sqs:eu-west-1:111111111111:ecs-deploy-events" }]
    })
  }
}
`,
    );
    const terraform = (args, input) =>
      execFileSync(
        path.join(repoRoot, 'scripts/terraform.sh'),
        [`-chdir=${dir}`, ...args],
        {
          input,
          encoding: 'utf8',
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
    terraform(['init', '-input=false', '-backend=false']);
    const out = terraform(
      ['console'],
      'jsonencode({ portal_policy_documents = module.access.portal_policy_documents, terraform_policy_json = module.access.terraform_policy_json })\n',
    );
    // The console prints the JSON as a quoted HCL string: JSON's escapes, plus $${ and %%{.
    const json = JSON.parse(
      JSON.parse(out.trim()).replaceAll('$${', '${').replaceAll('%%{', '%{'),
    );
    return {
      ...json,
      portal_role_name: ROLE_NAMES.portal,
      terraform_role_name: ROLE_NAMES.terraform,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Allowed actions of policy documents (JSON strings); a Deny or NotAction is refused (not comparable). */
export function grantedBy(documents) {
  const granted = new Set();
  for (const doc of documents) {
    for (const s of [JSON.parse(doc).Statement].flat()) {
      if (s.Effect !== 'Allow' || s.NotAction)
        throw new Error(
          `statement ${
            s.Sid ?? '(no Sid)'
          } is not a plain Allow: check-iam compares Allow actions only`,
        );
      for (const a of [s.Action].flat()) granted.add(a);
    }
  }
  return granted;
}

/**
 * What a role calls without a grant of its own: assuming a role (the caller's permission) and the
 * identity lookup (needs none).
 */
export const CALLER_OWN = new Set(['sts:AssumeRole', 'sts:GetCallerIdentity']);

/**
 * Recorded calls ({ account, role?, action, count }, the dev kit's AwsProxy.calls()) by caller,
 * each with the actions its policy does not grant: the portal role's are checked against
 * portal_policy_documents, the Terraform role's against terraform_policy_json (roles known by the
 * names the module renders). The main account's own keys (no role) may only assume roles; any
 * other role grants nothing. Returns [{ account, role, policy, actions, calls, missing }].
 */
export function ungrantedCalls(calls, rendered) {
  const policies = {
    [rendered.portal_role_name]: {
      policy: "the portal role's policy",
      granted: grantedBy(Object.values(rendered.portal_policy_documents)),
    },
    [rendered.terraform_role_name]: {
      policy: "the Terraform role's policy",
      granted: grantedBy([rendered.terraform_policy_json]),
    },
  };
  const callers = new Map();
  for (const { account, role, action, count } of calls) {
    const key = `${account} ${role ?? ''}`;
    const caller = callers.get(key) ?? {
      account,
      role,
      actions: new Set(),
      calls: 0,
    };
    caller.actions.add(AUTHORISED_AS[action] ?? action);
    caller.calls += count;
    callers.set(key, caller);
  }
  return [...callers.values()].map(({ account, role, actions, calls: n }) => {
    const { policy, granted } = role
      ? policies[role] ?? {
          policy: 'no policy: not a portal-access role',
          granted: new Set(),
        }
      : { policy: 'its own keys: assuming roles only', granted: new Set() };
    const sorted = [...actions].sort();
    return {
      account,
      role,
      policy,
      actions: sorted,
      calls: n,
      missing: sorted.filter(a => !CALLER_OWN.has(a) && !granted.has(a)),
    };
  });
}

/** What a role lacks and what it grants in vain: sent is { action: [where] }, granted a Set. */
export function compare(sent, granted) {
  const used = Object.keys(sent).sort();
  return {
    used,
    missing: used.filter(a => !granted.has(a)),
    unused: [...granted].filter(a => !(a in sent)).sort(),
  };
}

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
