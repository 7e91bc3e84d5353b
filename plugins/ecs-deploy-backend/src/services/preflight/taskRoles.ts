import { GetRoleCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/AwsClients';
import { trustsService } from './trustPolicy';
import { block, CheckVerdict, combine, pass, PreflightCheck } from './types';

const ECS_TASKS = 'ecs-tasks.amazonaws.com';

/** `arn:aws:iam::123456789012:role/path/name` → account and name. */
function parseRoleArn(arn: string) {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(
    arn,
  );
  return match ? { account: match[1], name: match[2] } : undefined;
}

/**
 * The target revision's task and execution roles exist in the target's account and trust
 * ECS tasks (`ecs-tasks.amazonaws.com` may `sts:AssumeRole`): IAM GetRole, read only.
 */
export function taskRolesCheck(clients: AwsClients): PreflightCheck {
  return {
    name: 'task-roles',
    async run({ target, targetTaskDefinition: td }, signal) {
      const roles = [
        { kind: 'task role', arn: td.taskRoleArn },
        { kind: 'execution role', arn: td.executionRoleArn },
      ].filter((r): r is { kind: string; arn: string } => Boolean(r.arn));
      if (roles.length === 0) {
        return pass(
          `${td.family}:${td.revision} names no task or execution role`,
        );
      }
      const iam = await clients.iam(target.env);
      const verdicts = await Promise.all(
        roles.map(async ({ kind, arn }): Promise<CheckVerdict> => {
          const parsed = parseRoleArn(arn);
          const account = target.env.accountId;
          if (!parsed || (account && parsed.account !== account)) {
            return block(
              `The ${kind} ${arn} is not a role of ${
                target.env.name
              }'s account${account ? ` ${account}` : ''}`,
              `Point the task definition's ${kind} at a role of account ${account} (the service's Terraform: ecs-service creates it).`,
            );
          }
          try {
            const { Role } = await iam.send(
              new GetRoleCommand({ RoleName: parsed.name }),
              { abortSignal: signal },
            );
            if (
              !trustsService(Role?.AssumeRolePolicyDocument ?? '', ECS_TASKS)
            ) {
              return block(
                `The ${kind} ${parsed.name} does not trust ${ECS_TASKS}`,
                `Let ${ECS_TASKS} assume ${parsed.name}: a trust policy statement with Effect Allow, Principal { Service: ${ECS_TASKS} } and Action sts:AssumeRole (ecs-service's roles have it).`,
              );
            }
            return pass(`${parsed.name} trusts ${ECS_TASKS}`);
          } catch (error) {
            if ((error as Error).name === 'NoSuchEntityException') {
              return block(
                `The ${kind} ${parsed.name} does not exist in ${target.env.name} (account ${parsed.account})`,
                `Create ${parsed.name} (apply the service's Terraform in ${target.env.name}: ecs-service creates it) or point the task definition at an existing role.`,
              );
            }
            throw error;
          }
        }),
      );
      return combine(
        verdicts,
        roles
          .map(
            r => `${r.kind} ${parseRoleArn(r.arn)?.name} trusts ${ECS_TASKS}`,
          )
          .join('; '),
      );
    },
  };
}
