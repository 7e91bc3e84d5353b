import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../aws/AwsClients';
import { block, CheckVerdict, combine, pass, PreflightCheck } from './types';

/**
 * The log groups the target revision's containers log to with the awslogs driver exist (ECS
 * stops a task whose group is missing before it starts, unless `awslogs-create-group` is
 * "true"): CloudWatch Logs DescribeLogGroups in the group's region, names only.
 */
export function logGroupCheck(clients: AwsClients): PreflightCheck {
  return {
    name: 'log-group',
    async run({ target, targetTaskDefinition: td }, signal) {
      const groups = new Map<string, { group: string; region: string }>();
      for (const c of td.containerDefinitions ?? []) {
        const config = c.logConfiguration;
        if (config?.logDriver !== 'awslogs') continue;
        const options = config.options ?? {};
        const group = options['awslogs-group'];
        if (!group || options['awslogs-create-group'] === 'true') continue;
        const region = options['awslogs-region'] ?? target.env.region;
        groups.set(`${region}|${group}`, { group, region });
      }
      if (groups.size === 0) {
        return pass('No container needs an existing log group');
      }
      const verdicts = await Promise.all(
        [...groups.values()].map(
          async ({ group, region }): Promise<CheckVerdict> => {
            const logs = await clients.logs({ ...target.env, region });
            const { logGroups } = await logs.send(
              new DescribeLogGroupsCommand({ logGroupNamePrefix: group }),
              { abortSignal: signal },
            );
            return logGroups?.some(g => g.logGroupName === group)
              ? pass(group)
              : block(
                  `The log group ${group} does not exist in ${region} (${target.env.name}): ECS would stop every task before it starts`,
                  `Create ${group} (apply the service's Terraform in ${target.env.name}: ecs-service creates it), or set awslogs-create-group "true" with logs:CreateLogGroup for the execution role.`,
                );
          },
        ),
      );
      return combine(
        verdicts,
        `${[...groups.values()].map(g => g.group).join(', ')} exist${
          groups.size === 1 ? 's' : ''
        }`,
      );
    },
  };
}
