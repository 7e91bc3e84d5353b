import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../aws/AwsClients';
import { block, CheckVerdict, combine, pass, PreflightCheck } from './types';

/** A target group as the check compares it. */
export interface TargetGroupInfo {
  arn: string;
  port?: number;
  protocol?: string;
}

/** Target group protocols and the port mapping protocol they carry. */
const TRANSPORT: Record<string, string> = {
  HTTP: 'tcp',
  HTTPS: 'tcp',
  TCP: 'tcp',
  TLS: 'tcp',
  UDP: 'udp',
  TCP_UDP: 'tcp',
  GENEVE: 'udp',
};

/**
 * One load balancer of the service against the revision: the named container maps the
 * container port the service registers, and the target group listens on that port with a
 * protocol over the mapping's transport. Pure.
 */
export function comparePort(
  td: TaskDefinition,
  lb: {
    targetGroupArn?: string;
    containerName?: string;
    containerPort?: number;
  },
  group: TargetGroupInfo | undefined,
): CheckVerdict {
  const name = lb.targetGroupArn?.split(':').pop() ?? '?';
  if (!group) {
    return block(
      `The target group ${name} of the service does not exist`,
      `Recreate it (apply the service's Terraform) or update the service's load balancer.`,
    );
  }
  const container = (td.containerDefinitions ?? []).find(
    c => c.name === lb.containerName,
  );
  const mappings = container?.portMappings ?? [];
  const mapping = mappings.find(m => m.containerPort === lb.containerPort);
  if (!container || !mapping) {
    const ports = mappings.map(m => m.containerPort).join(', ') || 'none';
    return block(
      `The service sends ${name}'s traffic to port ${
        lb.containerPort
      } of container ${lb.containerName}, which ${
        container ? `maps ports ${ports}` : 'the task definition does not have'
      }`,
      `Map port ${lb.containerPort} in container ${lb.containerName} (the service's Terraform), or point the service's load balancer at the container's port.`,
    );
  }
  if (group.port !== undefined && group.port !== lb.containerPort) {
    return block(
      `Target group ${name} listens on port ${group.port}, container ${lb.containerName} on ${lb.containerPort}`,
      `Make the target group's port ${lb.containerPort} (ecs-service creates it with the container's port), or the container's port ${group.port}.`,
    );
  }
  const transport = group.protocol ? TRANSPORT[group.protocol] : undefined;
  const mapped = mapping.protocol ?? 'tcp';
  if (transport && transport !== mapped) {
    return block(
      `Target group ${name} speaks ${group.protocol}, port ${lb.containerPort} of ${lb.containerName} is mapped as ${mapped}`,
      `Map the port as ${transport}, or use a ${mapped.toUpperCase()} target group.`,
    );
  }
  return pass(
    `${name}: ${group.protocol ?? ''} ${lb.containerPort} → ${
      lb.containerName
    }:${lb.containerPort}`.trim(),
  );
}

/**
 * The container port the service's target groups send traffic to matches the target revision
 * (ELBv2 DescribeTargetGroups: port and protocol against the container's port mappings).
 */
export function targetGroupPortCheck(clients: AwsClients): PreflightCheck {
  return {
    name: 'target-group-port',
    async run({ target, targetTaskDefinition: td }, signal) {
      const balancers = (target.state.loadBalancers ?? []).filter(
        lb => lb.targetGroupArn,
      );
      if (balancers.length === 0) {
        return pass(`${target.serviceName} has no target group`);
      }
      const elbv2 = await clients.elbv2(target.env);
      const groups = await Promise.all(
        balancers.map(async lb => {
          try {
            const { TargetGroups } = await elbv2.send(
              new DescribeTargetGroupsCommand({
                TargetGroupArns: [lb.targetGroupArn!],
              }),
              { abortSignal: signal },
            );
            const g = TargetGroups?.[0];
            return (
              g && {
                arn: g.TargetGroupArn!,
                port: g.Port,
                protocol: g.Protocol,
              }
            );
          } catch (error) {
            if ((error as Error).name === 'TargetGroupNotFoundException')
              return undefined;
            throw error;
          }
        }),
      );
      return combine(
        balancers.map((lb, i) => comparePort(td, lb, groups[i])),
        balancers
          .map(
            lb =>
              `${lb.targetGroupArn!.split(':').pop()} → ${lb.containerName}:${
                lb.containerPort
              }`,
          )
          .join(', '),
      );
    },
  };
}
