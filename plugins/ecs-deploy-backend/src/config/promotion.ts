import { InputError } from '@backstage/errors';
import { Section } from './durations';
import type { environmentChecker } from './environments';
import type {
  EnvironmentConfig,
  FollowThroughConfig,
  PromotionPathConfig,
} from './types';

/** How long a promotion request waits for a decision when the path names no `expiresAfter`. */
const DEFAULT_APPROVAL_EXPIRY_MS = 24 * 3_600_000;

/**
 * The path as it is when an approval is required although its config asks for none: the
 * permission policy allows the caller only approved promotions into its target.
 */
export function withApproval(path: PromotionPathConfig): PromotionPathConfig {
  return path.approval
    ? path
    : { ...path, approval: { expiresAfterMs: DEFAULT_APPROVAL_EXPIRY_MS } };
}

/**
 * `ecsDeploy.gates.timeout`: how long one promotion gate may take (default 5 s); shorter than the
 * write deadline, which the gates run within.
 */
export function readGateTimeout(root: Section, writeDeadlineMs: number): number {
  const section = root.child('gates');
  // Default 5 s, or half the write deadline when that is shorter: the gates run inside it.
  const timeoutMs = section.duration(
    'timeout',
    Math.min(5000, Math.floor(writeDeadlineMs / 2)),
  );
  if (timeoutMs >= writeDeadlineMs) {
    throw new InputError(
      `${section.key('timeout')} (${timeoutMs} ms) must be shorter than ${root.key(
        'aws.writeDeadline',
      )} (${writeDeadlineMs} ms)`,
    );
  }
  return timeoutMs;
}

/** `ecsDeploy.followThrough`. */
export function readFollowThrough(root: Section): FollowThroughConfig {
  const section = root.child('followThrough');
  const checkIntervalMs = section.duration('checkInterval', 5000, {
    key: 'checkIntervalSeconds',
    unit: 'seconds',
  });
  if (checkIntervalMs < 1000) {
    throw new InputError(
      `${section.key('checkInterval')} must be at least 1 second`,
    );
  }
  return {
    checkIntervalMs,
    verifyTimeoutMs: section.duration('verifyTimeout', 15 * 60_000, {
      key: 'verifyTimeoutMinutes',
      unit: 'minutes',
    }),
  };
}

/** `ecsDeploy.promotionPaths`. */
export function readPromotionPaths(
  root: Section,
  environments: EnvironmentConfig[],
  known: ReturnType<typeof environmentChecker>,
  followThrough: FollowThroughConfig,
): PromotionPathConfig[] {
  const lastEnvironment = environments[environments.length - 1].name;
  return (root.config.getOptionalConfigArray('promotionPaths') ?? []).map(
    (config, i) => {
      const p = new Section(
        config,
        root.key(`promotionPaths[${i}]`),
        root.warnings,
      );
      const from = known(config.getString('from'), p.key('from'));
      const to = known(config.getString('to'), p.key('to'));
      if (from === to) {
        throw new InputError(`${p.prefix} goes from '${from}' to itself`);
      }
      const soakMs = p.duration(
        'minSourceAge',
        0,
        { key: 'minSourceAgeMinutes', unit: 'minutes' },
        { allowZero: true },
      );
      const approval = p.child('approval');
      const approvers =
        approval.config.getOptionalString('approvers') ?? 'owners';
      if (approvers !== 'owners') {
        throw new InputError(
          `${approval.key(
            'approvers',
          )} must be 'owners' (the entity's owners and the admin groups), got '${approvers}'`,
        );
      }
      return {
        from,
        to,
        requireHealthySource:
          config.getOptionalBoolean('requireHealthySource') ?? true,
        minSourceAgeMinutes: soakMs / 60_000,
        verifyTimeoutMs: p.duration(
          'verifyTimeout',
          followThrough.verifyTimeoutMs,
          { key: 'verifyTimeoutMinutes', unit: 'minutes' },
        ),
        // On by default into the last environment (production).
        autoRollback:
          config.getOptionalBoolean('autoRollback') ?? to === lastEnvironment,
        approval: approval.config.getOptionalBoolean('required')
          ? {
              expiresAfterMs: approval.duration(
                'expiresAfter',
                DEFAULT_APPROVAL_EXPIRY_MS,
                {
                  key: 'expiresAfterHours',
                  unit: 'hours',
                },
              ),
            }
          : undefined,
      };
    },
  );
}
