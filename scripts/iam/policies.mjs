// What portal-access grants (scripts/check-iam.mjs, scripts/test-iam-calls.mjs): the module's
// policy documents rendered for a sample account by `terraform console` (nothing applied, no AWS
// called), their Allow actions, and recorded calls checked per caller against them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { AUTHORISED_AS } from './sentActions.mjs';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const MODULE_DIR = path.join(repoRoot, 'terraform-modules/portal-access');
const EVENTS_MODULE_DIR = path.join(
  repoRoot,
  'terraform-modules/portal-events',
);

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
