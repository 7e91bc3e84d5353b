import { Deployment, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import {
  ContainerImage,
  DeploymentInfo,
  DetectedProblem,
  HealthState,
  RolloutState,
  ServiceSummary,
  TaskDefinitionRef,
} from '@internal/plugin-ecs-deploy-common';

const MAX_EVENTS = 10;

/** `arn:…:task-definition/family:3` or `family:3` → { family, revision }. */
export function parseTaskDefinitionRef(
  value: string,
  td?: TaskDefinition,
): TaskDefinitionRef {
  if (td?.taskDefinitionArn && td.family && td.revision) {
    return {
      arn: td.taskDefinitionArn,
      family: td.family,
      revision: td.revision,
    };
  }
  const tail = value.split('/').pop() ?? value;
  const [family, revision] = tail.split(':');
  return { arn: value, family, revision: Number(revision) || 0 };
}

/** `repo/name:tag`, `repo/name@sha256:…`, `host:5000/name:tag` → tag / digest. */
export function describeImage(
  container: string,
  image: string,
): ContainerImage {
  const at = image.indexOf('@');
  if (at >= 0) {
    return { container, image, digest: image.slice(at + 1) };
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0
    ? { container, image, tag: image.slice(colon + 1) }
    : { container, image };
}

export function imagesOf(td?: TaskDefinition): ContainerImage[] {
  return (td?.containerDefinitions ?? []).map(c =>
    describeImage(c.name ?? '', c.image ?? ''),
  );
}

const iso = (d?: Date | string) =>
  d === undefined ? undefined : new Date(d).toISOString();

function toDeployment(
  d: Deployment,
  taskDefinitions: Record<string, TaskDefinition>,
): DeploymentInfo {
  const td = d.taskDefinition ? taskDefinitions[d.taskDefinition] : undefined;
  return {
    id: d.id ?? '',
    status: d.status ?? 'UNKNOWN',
    taskDefinition: parseTaskDefinitionRef(d.taskDefinition ?? '', td),
    images: imagesOf(td),
    rolloutState: d.rolloutState as RolloutState | undefined,
    rolloutStateReason: d.rolloutStateReason,
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

/** The plain-JSON summary of an ECS service that the API returns and the cache keeps. */
export function summarizeService(
  service: Service,
  taskDefinitions: Record<string, TaskDefinition>,
): ServiceSummary {
  const current = service.taskDefinition
    ? taskDefinitions[service.taskDefinition]
    : undefined;
  const deployments = (service.deployments ?? []).map(d =>
    toDeployment(d, taskDefinitions),
  );
  const primary = deployments.find(d => d.status === 'PRIMARY');
  return {
    arn: service.serviceArn ?? '',
    name: service.serviceName ?? '',
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinition: parseTaskDefinitionRef(
      service.taskDefinition ?? '',
      current,
    ),
    images: imagesOf(current),
    rolloutState: primary?.rolloutState,
    rolloutStateReason: primary?.rolloutStateReason,
    deployments,
    events: (service.events ?? []).slice(0, MAX_EVENTS).map(e => ({
      id: e.id ?? '',
      createdAt: iso(e.createdAt),
      message: e.message ?? '',
    })),
    lastDeploymentAt: primary?.updatedAt ?? primary?.createdAt,
  };
}

interface Rule {
  code: DetectedProblem['code'];
  severity: DetectedProblem['severity'];
  pattern: RegExp;
  fix: string;
}

/** Signatures of known failures in ECS events and stopped-task reasons. */
const RULES: Rule[] = [
  {
    code: 'image-pull-error',
    severity: 'error',
    pattern:
      /CannotPullContainerError|pull image manifest|image.*not found|ResourceInitializationError: unable to pull/i,
    fix: 'Check that the image tag exists in the registry and that the task execution role may pull it (ECR permissions, or network access to the registry from the subnets).',
  },
  {
    code: 'unable-to-place-tasks',
    severity: 'error',
    pattern:
      /unable to place a task|no container instance met|insufficient (memory|cpu)|capacity is unavailable/i,
    fix: 'ECS has no capacity for the task: check the capacity providers, subnets and the Fargate CPU/memory size, or lower the desired count.',
  },
  {
    code: 'health-check-failing',
    severity: 'error',
    pattern:
      /failed (container|ELB) health checks|health checks failed|unhealthy in target-group/i,
    fix: "The new tasks start but fail health checks: compare the health-check path and port with the application's and read the task logs.",
  },
  {
    code: 'tasks-failing-to-start',
    severity: 'error',
    pattern:
      /Essential container in task exited|CannotStartContainerError|OutOfMemory|exit code [1-9]|ResourceInitializationError/i,
    fix: 'Tasks stop right after starting: read the stopped tasks\u2019 exit codes and the container logs (missing secrets or environment variables are the usual cause).',
  },
];

function matchRules(text: string): Rule | undefined {
  return RULES.find(r => r.pattern.test(text));
}

/**
 * Derives health and problems from the service, its deployments and events, and (in the entity
 * view) its recently stopped tasks.
 */
export function deriveHealth(
  summary: ServiceSummary | undefined,
  stoppedTasks: Task[] = [],
): { health: HealthState; problems: DetectedProblem[] } {
  if (!summary) {
    return { health: 'not-deployed', problems: [] };
  }
  const problems: DetectedProblem[] = [];
  const add = (p: DetectedProblem) => {
    if (!problems.some(x => x.code === p.code)) {
      problems.push(p);
    }
  };
  if (summary.status !== 'ACTIVE') {
    add({
      code: 'service-inactive',
      severity: 'warning',
      message: `The ECS service is ${summary.status}.`,
      fix: 'The service is being deleted or was drained; re-apply its Terraform to recreate it.',
    });
  }

  const primary = summary.deployments.find(d => d.status === 'PRIMARY');
  const since = primary?.createdAt ? Date.parse(primary.createdAt) : 0;

  if (primary?.rolloutState === 'FAILED') {
    const breaker = /circuit breaker/i.test(primary.rolloutStateReason ?? '');
    add({
      code: breaker ? 'circuit-breaker-tripped' : 'rollout-failed',
      severity: 'error',
      message: primary.rolloutStateReason ?? 'The deployment failed.',
      fix: breaker
        ? 'The deployment circuit breaker stopped the rollout and rolled back. Fix the cause below, then promote or deploy again.'
        : 'The rollout failed: read the events and stopped tasks, fix the cause, then deploy again.',
    });
  }

  // Events of the current deployment only: older ones describe problems already gone.
  for (const event of summary.events) {
    if (event.createdAt && Date.parse(event.createdAt) < since) {
      continue;
    }
    const rule = matchRules(event.message);
    if (rule) {
      add({
        code: rule.code,
        severity: rule.severity,
        message: event.message,
        fix: rule.fix,
      });
    }
  }
  for (const task of stoppedTasks) {
    const reasons = [
      task.stoppedReason,
      ...(task.containers ?? []).map(c =>
        [
          c.reason,
          c.exitCode !== undefined && c.exitCode !== 0
            ? `exit code ${c.exitCode}`
            : '',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    ].filter((r): r is string => Boolean(r));
    for (const reason of reasons) {
      const rule = matchRules(reason);
      if (rule) {
        add({
          code: rule.code,
          severity: rule.severity,
          message: reason,
          fix: rule.fix,
        });
      }
    }
  }
  if (
    primary &&
    primary.failedTasks > 0 &&
    !problems.some(p => p.severity === 'error')
  ) {
    add({
      code: 'tasks-failing-to-start',
      severity: 'error',
      message: `${primary.failedTasks} task(s) of the current deployment failed.`,
      fix: RULES.find(r => r.code === 'tasks-failing-to-start')!.fix,
    });
  }

  const rollingOut =
    primary?.rolloutState === 'IN_PROGRESS' || summary.deployments.length > 1;
  const short = summary.runningCount < summary.desiredCount;
  if (!rollingOut && short && primary?.rolloutState !== 'FAILED') {
    add({
      code: 'insufficient-tasks',
      severity: 'warning',
      message: `${summary.runningCount} of ${summary.desiredCount} tasks are running.`,
      fix: 'Tasks are stopping or cannot be placed: see the events and stopped tasks.',
    });
  }

  let health: HealthState;
  if (primary?.rolloutState === 'FAILED') {
    health = 'failed';
  } else if (
    summary.desiredCount > 0 &&
    summary.runningCount === 0 &&
    problems.some(p => p.severity === 'error')
  ) {
    health = 'failed';
  } else if (problems.length > 0) {
    health = 'degraded';
  } else if (rollingOut) {
    health = 'progressing';
  } else {
    health = 'healthy';
  }
  return { health, problems };
}
