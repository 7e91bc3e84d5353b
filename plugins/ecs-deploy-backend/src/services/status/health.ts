/*
 * Health and problems of one service, derived from its summary (deployments, events) and, in the
 * entity view, its recently stopped tasks. Pure: no I/O.
 */
import { Task } from '@aws-sdk/client-ecs';
import {
  DetectedProblem,
  HealthState,
  ServiceSummary,
} from '@deployment-portal/plugin-ecs-deploy-common';

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

/** Problems whose cause the failing tasks' logs tell. */
const LOGGED = new Set<DetectedProblem['code']>([
  'tasks-failing-to-start',
  'health-check-failing',
  'image-pull-error',
]);

/** Task ids an ECS event names, e.g. `(service x) (task 1a2b) failed container health checks.` */
function eventTaskIds(message: string): string[] {
  return [...message.matchAll(/\(task ([A-Za-z0-9-]+)\)/g)].map(m => m[1]);
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
  const add = (p: DetectedProblem, taskIds: string[] = []) => {
    let problem = problems.find(x => x.code === p.code);
    if (!problem) {
      problem = p;
      problems.push(problem);
    }
    if (LOGGED.has(problem.code) && taskIds.length > 0) {
      problem.taskIds = [...new Set([...(problem.taskIds ?? []), ...taskIds])];
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
  const failure = rolloutFailure(summary);
  // Events of the current deployment (or, after ECS rolled back, of the one that failed) only:
  // older ones describe problems already gone.
  const since =
    failure?.since ?? (primary?.createdAt ? Date.parse(primary.createdAt) : 0);
  if (failure) {
    add({
      code: failure.breaker ? 'circuit-breaker-tripped' : 'rollout-failed',
      severity: 'error',
      message: failure.message,
      fix: failure.breaker
        ? 'The deployment circuit breaker stopped the rollout and ECS went back to the last good revision. Fix the cause below (the image, its configuration or its health check), then promote or deploy again.'
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
      add(
        {
          code: rule.code,
          severity: rule.severity,
          message: event.message,
          fix: rule.fix,
        },
        eventTaskIds(event.message),
      );
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
    const taskId = task.taskArn?.split('/').pop();
    for (const reason of reasons) {
      const rule = matchRules(reason);
      if (rule) {
        add(
          {
            code: rule.code,
            severity: rule.severity,
            message: reason,
            fix: rule.fix,
          },
          taskId ? [taskId] : [],
        );
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
  } else if (failure) {
    // ECS rolled back: the service runs its last good revision, the rollout still failed.
    health = 'degraded';
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

/** ECS's rollback after a tripped circuit breaker starts within seconds of the failure. */
const ROLLBACK_WINDOW_MS = 60_000;

/**
 * The failed rollout the service is living with, if any: a deployment listed as FAILED, or the
 * current deployment being the one ECS created to roll back (its events say "rolling back"
 * shortly before the deployment was created).
 */
function rolloutFailure(
  summary: ServiceSummary,
): { message: string; breaker: boolean; since: number } | undefined {
  const failed = summary.deployments.find(d => d.rolloutState === 'FAILED');
  if (failed) {
    const message = failed.rolloutStateReason ?? 'The deployment failed.';
    return {
      message,
      breaker: /circuit breaker/i.test(message),
      since: Date.parse(failed.createdAt ?? '') || 0,
    };
  }
  const primary = summary.deployments.find(d => d.status === 'PRIMARY');
  const created = Date.parse(primary?.createdAt ?? '');
  const rollingBack = summary.events.find(e =>
    /rolling back to/i.test(e.message),
  );
  const at = Date.parse(rollingBack?.createdAt ?? '');
  if (
    !rollingBack ||
    !(created >= at - ROLLBACK_WINDOW_MS && created <= at + ROLLBACK_WINDOW_MS)
  ) {
    return undefined;
  }
  const cause = summary.events.find(
    e =>
      /deployment failed|circuit breaker/i.test(e.message) &&
      Date.parse(e.createdAt ?? '') <= at,
  );
  return {
    message: `${cause?.message ?? 'The last rollout failed.'} ${
      rollingBack.message
    }`,
    breaker: true,
    since: Date.parse(cause?.createdAt ?? '') || at - ROLLBACK_WINDOW_MS,
  };
}
