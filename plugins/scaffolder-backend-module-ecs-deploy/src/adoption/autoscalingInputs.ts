/*
 * An ECS service's Application Auto Scaling as the ecs-service module's `autoscaling` input: the
 * scalable target of its desired count and at most one target-tracking policy on average CPU and
 * one on average memory, imported by name; anything else is named as a setting the module cannot
 * express. Pure.
 */
import type {
  ScalableTarget,
  ScalingPolicy,
} from '@aws-sdk/client-application-auto-scaling';

/** What adoption reads of a service's autoscaling. */
export interface ExistingAutoscaling {
  target: ScalableTarget;
  policies: ScalingPolicy[];
}

const METRICS = {
  ECSServiceAverageCPUUtilization: 'cpu',
  ECSServiceAverageMemoryUtilization: 'memory',
} as const;

/** The module's `autoscaling` input, the import blocks, and what cannot be expressed. */
export function autoscalingOf(autoscaling: ExistingAutoscaling) {
  const { target, policies } = autoscaling;
  const unsupported: string[] = [];
  const tracked: Partial<Record<'cpu' | 'memory', ScalingPolicy>> = {};
  for (const p of policies) {
    const config = p.TargetTrackingScalingPolicyConfiguration;
    const metric = config?.PredefinedMetricSpecification?.PredefinedMetricType;
    const kind =
      p.PolicyType === 'TargetTrackingScaling' && metric && metric in METRICS
        ? METRICS[metric as keyof typeof METRICS]
        : undefined;
    if (!kind || tracked[kind]) {
      unsupported.push(
        `autoscaling policy ${p.PolicyName}: ${
          kind
            ? `a second target-tracking policy on ${kind}`
            : `${p.PolicyType} on ${metric ?? 'a custom metric'}`
        } (the module tracks average CPU and/or memory, one policy each)`,
      );
      continue;
    }
    tracked[kind] = p;
  }
  const configs = [tracked.cpu, tracked.memory].flatMap(
    p => p?.TargetTrackingScalingPolicyConfiguration ?? [],
  );
  const shared = (
    key: 'ScaleInCooldown' | 'ScaleOutCooldown' | 'DisableScaleIn',
  ) => new Set(configs.map(c => c[key])).size <= 1;
  if (
    !shared('ScaleInCooldown') ||
    !shared('ScaleOutCooldown') ||
    !shared('DisableScaleIn')
  ) {
    unsupported.push(
      'autoscaling policies: the CPU and memory policies differ in cooldowns or disable_scale_in (the module shares them)',
    );
  }
  if (!tracked.cpu && !tracked.memory) {
    unsupported.push(
      'autoscaling: a scalable target without a target-tracking policy on CPU or memory (the module needs one)',
    );
  }
  const suspended = target.SuspendedState;
  if (
    suspended?.DynamicScalingInSuspended ||
    suspended?.DynamicScalingOutSuspended ||
    suspended?.ScheduledScalingSuspended
  ) {
    unsupported.push(
      'autoscaling: suspended scaling (the module does not suspend it)',
    );
  }
  const [first] = configs;
  const input = {
    min_capacity: target.MinCapacity,
    max_capacity: target.MaxCapacity,
    track_cpu: tracked.cpu !== undefined,
    cpu_target:
      tracked.cpu?.TargetTrackingScalingPolicyConfiguration?.TargetValue ??
      null,
    ...(tracked.memory && {
      memory_target:
        tracked.memory.TargetTrackingScalingPolicyConfiguration?.TargetValue,
      memory_policy_name: tracked.memory.PolicyName,
    }),
    ...(tracked.cpu && { cpu_policy_name: tracked.cpu.PolicyName }),
    ...(first?.ScaleInCooldown !== undefined && {
      scale_in_cooldown: first.ScaleInCooldown,
    }),
    ...(first?.ScaleOutCooldown !== undefined && {
      scale_out_cooldown: first.ScaleOutCooldown,
    }),
    disable_scale_in: first?.DisableScaleIn ?? false,
  };
  // Terraform's import ids: <namespace>/<resource id>/<dimension>[/<policy name>].
  const targetId = `${target.ServiceNamespace}/${target.ResourceId}/${target.ScalableDimension}`;
  const imports = [
    { to: 'module.service.aws_appautoscaling_target.this[0]', id: targetId },
    ...(['cpu', 'memory'] as const).flatMap(kind => {
      const p = tracked[kind];
      return p
        ? [
            {
              to: `module.service.aws_appautoscaling_policy.${kind}[0]`,
              id: `${targetId}/${p.PolicyName}`,
            },
          ]
        : [];
    }),
  ];
  return { input, imports, unsupported };
}
