/*
 * An existing ECS service as the ecs-service module's inputs, so that importing it changes
 * nothing in ECS but tags; and the settings the module cannot express, named, so that adoption
 * stops before writing anything. Pure.
 */
import type {
  ContainerDefinition,
  Service,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { autoscalingOf, type ExistingAutoscaling } from './autoscalingInputs';

/** What adoption reads of one service in one environment. */
export interface ExistingService {
  environment: string;
  cluster: string;
  service: Service;
  taskDefinition: TaskDefinition;
  /** ARN of the latest ACTIVE revision of the task definition's family. */
  latestRevisionArn?: string;
  /** Retention of the containers' log group (0: never expires); undefined when it does not exist. */
  logRetentionInDays?: number;
  /** Its desired count's scalable target and scaling policies, when it has one. */
  autoscaling?: ExistingAutoscaling;
}

/** The module inputs, the ids of what is imported, and what cannot be expressed. */
export interface Adoption {
  inputs: Record<string, unknown>;
  imports: Array<{ to: string; id: string }>;
  unsupported: string[];
}

const awslogs = (c: ContainerDefinition) =>
  c.logConfiguration?.logDriver === 'awslogs'
    ? c.logConfiguration.options ?? {}
    : undefined;

const pairs = (list: Array<{ name?: string; value?: string }> | undefined) =>
  Object.fromEntries((list ?? []).map(e => [e.name ?? '', e.value ?? '']));

function container(c: ContainerDefinition, problems: string[]) {
  const where = `container ${c.name}`;
  const ports = c.portMappings ?? [];
  if (ports.length > 1) {
    problems.push(
      `${where}: ${ports.length} port mappings (the module maps one port)`,
    );
  }
  const [port] = ports;
  const secrets = Object.fromEntries(
    (c.secrets ?? []).map(s => [s.name ?? '', s.valueFrom ?? '']),
  );
  const health = c.healthCheck;
  return {
    name: c.name,
    image: c.image,
    ...(port && {
      port: port.containerPort,
      host_port: port.hostPort,
      protocol: port.protocol ?? 'tcp',
    }),
    cpu: c.cpu ?? 0,
    ...(c.memory !== undefined && { memory: c.memory }),
    ...(c.memoryReservation !== undefined && {
      memory_reservation: c.memoryReservation,
    }),
    essential: c.essential ?? true,
    ...(c.command?.length && { command: c.command }),
    ...(c.entryPoint?.length && { entry_point: c.entryPoint }),
    ...(c.environment?.length && { environment: pairs(c.environment) }),
    ...(Object.keys(secrets).length && { secrets }),
    ...(health?.command?.length && {
      health_check_command: health.command,
      health_check_interval: health.interval ?? 30,
      health_check_timeout: health.timeout ?? 5,
      health_check_retries: health.retries ?? 3,
      health_check_start_period: health.startPeriod ?? 0,
    }),
    ...(c.readonlyRootFilesystem && { readonly_root_filesystem: true }),
  };
}

/**
 * The ecs-service inputs that express `existing` as it runs, without `name`, `entity_ref` and
 * `environment` (the root sets them).
 */
export function adoptionOf(existing: ExistingService): Adoption {
  const { service, taskDefinition: td, cluster } = existing;
  const unsupported: string[] = [];
  const containers = td.containerDefinitions ?? [];
  const logs = containers.map(awslogs);
  const groups = new Set(logs.map(l => l?.['awslogs-group']));
  const prefixes = new Set(logs.map(l => l?.['awslogs-stream-prefix']));
  if (logs.some(l => !l) || groups.size !== 1 || prefixes.size !== 1) {
    unsupported.push(
      'logging: every container must log with awslogs to one log group and one stream prefix',
    );
  }
  const loadBalancer = loadBalancerOf(service, containers, unsupported);
  if ((service.serviceRegistries ?? []).length > 0) {
    unsupported.push(
      'serviceRegistries: service discovery is not part of the module',
    );
  }
  if (service.capacityProviderStrategy?.length) {
    unsupported.push('capacityProviderStrategy: the module sets a launch type');
  }
  // The module's task definition follows its family's latest ACTIVE revision (track_latest: the
  // promotion contract). Imported while a newer revision exists (another environment's service in
  // the same account and region, or one registered and never deployed), the first apply would
  // move the service to that revision instead of keeping the one it runs.
  if (
    existing.latestRevisionArn &&
    existing.latestRevisionArn !== td.taskDefinitionArn
  ) {
    unsupported.push(
      `task definition family ${td.family}: the service runs revision ${
        td.revision
      } but the family's latest ACTIVE revision is ${existing.latestRevisionArn
        .split(':')
        .pop()}, and Terraform follows the latest (the promotion contract): give the service a family of its own, or deregister the newer revisions, so that the running revision is kept`,
    );
  }
  if ((td.volumes ?? []).length > 0) {
    unsupported.push('volumes: the module defines no task volumes');
  }
  const launchType = service.launchType ?? 'FARGATE';
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  const deployment = service.deploymentConfiguration;
  const [logGroup] = groups;
  const [prefix] = prefixes;
  const tags = Object.fromEntries(
    (service.tags ?? [])
      .filter(t => t.key && !t.key.startsWith('aws:'))
      .map(t => [t.key!, t.value ?? '']),
  );
  const inputs: Record<string, unknown> = {
    family: td.family,
    launch_type: launchType,
    network_mode: td.networkMode ?? 'bridge',
    ...(service.platformVersion && {
      platform_version: service.platformVersion,
    }),
    cpu: td.cpu ? Number(td.cpu) : null,
    memory: td.memory ? Number(td.memory) : null,
    desired_count: service.desiredCount ?? 0,
    existing_roles: {
      execution_role_arn: td.executionRoleArn ?? null,
      task_role_arn: td.taskRoleArn ?? null,
    },
    log_group_name: logGroup ?? null,
    log_stream_prefix: prefix ?? 'ecs',
    log_retention_in_days: existing.logRetentionInDays ?? 0,
    ...(vpc && {
      network_configuration: {
        subnets: vpc.subnets ?? [],
        security_groups: vpc.securityGroups ?? [],
        assign_public_ip: vpc.assignPublicIp === 'ENABLED',
      },
    }),
    deployment: {
      minimum_healthy_percent: deployment?.minimumHealthyPercent ?? 100,
      maximum_percent: deployment?.maximumPercent ?? 200,
      circuit_breaker_enable:
        deployment?.deploymentCircuitBreaker?.enable ?? false,
      circuit_breaker_rollback:
        deployment?.deploymentCircuitBreaker?.rollback ?? false,
    },
    // Deployment alarms would change how the service deploys: none until the team opts in.
    alarms: { create: false },
    enable_execute_command: service.enableExecuteCommand ?? false,
    enable_ecs_managed_tags: service.enableECSManagedTags ?? false,
    propagate_tags: service.propagateTags ?? 'NONE',
    containers: containers.map(c => container(c, unsupported)),
    ...loadBalancer,
    tags,
  };
  const scaling = existing.autoscaling && autoscalingOf(existing.autoscaling);
  if (scaling) {
    inputs.autoscaling = scaling.input;
    unsupported.push(...scaling.unsupported);
  }
  const imports = [
    {
      to: 'module.service.aws_ecs_service.this',
      id: `${cluster}/${service.serviceName}`,
    },
    {
      to: 'module.service.aws_ecs_task_definition.this',
      id: td.taskDefinitionArn!,
    },
  ];
  if (logGroup && existing.logRetentionInDays !== undefined) {
    imports.push({
      to: 'module.service.aws_cloudwatch_log_group.this',
      id: logGroup,
    });
  }
  imports.push(...(scaling?.imports ?? []));
  return { inputs, imports, unsupported };
}

/**
 * A service behind one target group, on a container's own port, as the module's `load_balancer`
 * with an existing `target_group_arn` (the module only attaches the service: the target group,
 * its listener rule and load balancer stay outside Terraform) and the service's grace period.
 */
function loadBalancerOf(
  service: Service,
  containers: ContainerDefinition[],
  problems: string[],
) {
  const lbs = service.loadBalancers ?? [];
  if (lbs.length === 0) return {};
  const [lb] = lbs;
  const c = containers.find(x => x.name === lb.containerName);
  const port = c?.portMappings?.[0]?.containerPort;
  if (lbs.length > 1) {
    problems.push(
      `loadBalancers: ${lbs.length} target groups (the module attaches the service to one)`,
    );
  } else if (!lb.targetGroupArn) {
    problems.push(
      `loadBalancers: the classic load balancer ${lb.loadBalancerName} (the module attaches a target group)`,
    );
  } else if (port === undefined || port !== lb.containerPort) {
    problems.push(
      `loadBalancers: container ${lb.containerName} port ${lb.containerPort} is not the container's first port mapping (the module routes to it)`,
    );
  }
  return {
    load_balancer: {
      target_group_arn: lb.targetGroupArn ?? null,
      container_name: lb.containerName,
    },
    health_check_grace_period_seconds:
      service.healthCheckGracePeriodSeconds ?? 0,
  };
}
