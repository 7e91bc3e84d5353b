/*
 * The role a generated root's AWS provider assumes in its environment's account: portal-access's
 * Terraform role (`ecsDeploy.scaffolder.terraformRole`) in `ecsDeploy.environments[].accountId`.
 */
import type { Config } from '@backstage/config';

/** `ecsDeploy.scaffolder.terraformRole`. @public */
export interface TerraformRoleSettings {
  /** Name of the role in every environment's account, e.g. `ecs-deploy-terraform`. */
  roleName: string;
  /** External ID its trust policy requires (`sts:ExternalId`), if any. */
  externalId?: string;
}

/** What a root's `assume_role` block gets. */
export interface AssumedRole {
  roleArn: string;
  externalId?: string;
}

const KEY = 'ecsDeploy.scaffolder.terraformRole';
const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const EXTERNAL_ID = /^[A-Za-z0-9+=,.@:/_-]{2,1224}$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * Reads `terraformRole`; every environment must then name its account (`accountId`), since a
 * root without one would silently provision with the backend's own account. Throws naming the key.
 */
export function readTerraformRole(
  scaffolder: Config | undefined,
  environments: Array<{ name: string; accountId?: string }>,
): TerraformRoleSettings | undefined {
  const role = scaffolder?.getOptionalConfig('terraformRole');
  for (const env of environments) {
    if (env.accountId !== undefined && !ACCOUNT_ID.test(env.accountId)) {
      throw new Error(
        `ecsDeploy.environments[${env.name}].accountId must be 12 digits, got '${env.accountId}'`,
      );
    }
  }
  if (!role) {
    return undefined;
  }
  const roleName = role.getString('roleName');
  if (!ROLE_NAME.test(roleName)) {
    throw new Error(
      `${KEY}.roleName must be 1-64 characters of letters, digits and +=,.@_-, got '${roleName}'`,
    );
  }
  const externalId = role.getOptionalString('externalId');
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) {
    throw new Error(
      `${KEY}.externalId must be 2-1224 characters of letters, digits and +=,.@:/-_, got '${externalId}'`,
    );
  }
  const withoutAccount = environments.find(e => e.accountId === undefined);
  if (withoutAccount) {
    throw new Error(
      `${KEY} is set, but environment '${withoutAccount.name}' has no accountId (ecsDeploy.environments[].accountId): its roots would not know which account's role to assume`,
    );
  }
  return { roleName, externalId };
}

/** The partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The role a root in `region` of account `accountId` assumes, or undefined without either. */
export function assumedRole(
  role: TerraformRoleSettings | undefined,
  accountId: string | undefined,
  region: string,
): AssumedRole | undefined {
  if (!role || !accountId) {
    return undefined;
  }
  return {
    roleArn: `arn:${partitionOf(region)}:iam::${accountId}:role/${
      role.roleName
    }`,
    externalId: role.externalId,
  };
}
