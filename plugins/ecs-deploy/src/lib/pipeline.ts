import {
  imageVersion,
  isSameImage,
  type AuditRecord,
  type ContainerImage,
  type EnvironmentStatus,
  type GuardResult,
  type PromotionPath,
  type PromotionPreview,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { entityPromotionStanding } from './promotion';

/** The key of a promotion path (previews are keyed by it). */
export const pathKey = (path: PromotionPath) => `${path.from}->${path.to}`;

/** Who changed an environment last, as far as our history knows. */
export interface StageChange {
  /** When the running deployment started. */
  at?: string;
  /** The user who promoted or rolled back to what runs now (absent: not done in the portal). */
  actor?: string;
  action?: 'promote' | 'rollback' | 'automatic-rollback';
  /** For a promotion: the environment it came from. */
  from?: string;
}

const LANDED: ReadonlyArray<AuditRecord['result']> = [
  'succeeded',
  'started',
  'unknown',
];

/** The last change of an environment: when it started, and who made it when it was us. */
export function lastChange(
  status: EnvironmentStatus,
  history: AuditRecord[],
): StageChange | undefined {
  const service = status.service;
  if (!service) {
    return undefined;
  }
  // History is newest first: the first record that produced what runs now.
  const record = history.find(
    r =>
      (r.action === 'promote' || r.action === 'rollback') &&
      r.toEnvironment === status.environment &&
      r.newTaskDefinition === service.taskDefinition.arn &&
      LANDED.includes(r.result),
  );
  return {
    at: service.lastDeploymentAt ?? record?.createdAt,
    actor: record?.causedBy ? undefined : record?.actor,
    action:
      record?.causedBy && record.action === 'rollback'
        ? 'automatic-rollback'
        : (record?.action as StageChange['action']),
    from: record?.fromEnvironment,
  };
}

/** The stages a promotion path connects to `environment`, either way. */
export function connectedStages(
  environment: string,
  paths: PromotionPath[],
): string[] {
  const stages = paths.flatMap(p => {
    if (p.from === environment) return [p.to];
    if (p.to === environment) return [p.from];
    return [];
  });
  return [...new Set(stages)];
}

/** A container whose image differs in a neighbouring stage. */
export interface ImageDifference {
  environment: string;
  image: ContainerImage;
}

/**
 * For each container of `environment`, the stages connected to it by a promotion path that run
 * another image in that container (what the pipeline highlights).
 */
export function imageDifferences(
  environment: string,
  statuses: EnvironmentStatus[],
  paths: PromotionPath[],
): Map<string, ImageDifference[]> {
  const byName = new Map(statuses.map(s => [s.environment, s]));
  const own = byName.get(environment)?.service?.images ?? [];
  const neighbours = connectedStages(environment, paths);
  const differences = new Map<string, ImageDifference[]>();
  for (const image of own) {
    const differing = neighbours.flatMap(name => {
      const other = byName
        .get(name)
        ?.service?.images.find(i => i.container === image.container);
      return other && !isSameImage(other.image, image.image)
        ? [{ environment: name, image: other }]
        : [];
    });
    if (differing.length) {
      differences.set(image.container, differing);
    }
  }
  return differences;
}

/** What the arrow of a promotion path says. */
export interface PromotionArrowState {
  /**
   * `promote`: a promotion would change the target; `level` and `not-deployed`: nothing to
   * promote; `blocked`: a guard refuses it now; `unknown`: one side could not be compared (the
   * dialog reads both again).
   */
  kind: 'promote' | 'level' | 'not-deployed' | 'blocked' | 'unknown';
  /** Why not, one sentence each (empty for `promote`). */
  reasons: string[];
  /** The image versions a promotion would change, per container. */
  changes: Array<{ container: string; from: string; to: string }>;
}

/**
 * Guards the arrow states itself (level, not deployed) or that the Promote button states (the
 * caller's permission): every other blocker of the preview is a reason of its own.
 */
const STATED_ELSEWHERE: ReadonlyArray<GuardResult['code']> = [
  'already-running',
  'not-deployed',
  'not-permitted',
];

/** A blocker of the preview as the arrow says it: short where the preview has the numbers. */
function blockerReason(
  blocker: GuardResult,
  preview: PromotionPreview,
  approvers?: string,
): string {
  const by = approvers ? ` by ${approvers}` : '';
  switch (blocker.code) {
    case 'soak-time':
      return preview.soak
        ? `soak: ${preview.soak.remainingMinutes} min left`
        : blocker.message;
    case 'approval-required':
    case 'request-pending':
      return preview.approval?.pending
        ? `awaiting approval${by}`
        : `needs approval${by}: request the promotion`;
    default:
      return blocker.message;
  }
}

/**
 * The arrow of `path`: the lag of the two stages compared here, then the guards of the
 * backend's preview (freeze windows, soak time, approvals, rollouts in flight, ownership, and any
 * guard the backend adds) when it has been read. `approvers` names who approves (the owner).
 */
export function promotionArrow(
  path: PromotionPath,
  statuses: EnvironmentStatus[],
  preview?: PromotionPreview,
  approvers?: string,
): PromotionArrowState {
  const standing = entityPromotionStanding(path, statuses);
  const images = (env: string) =>
    statuses.find(s => s.environment === env)?.service?.images ?? [];
  const target = new Map(images(path.to).map(i => [i.container, i]));
  const changes = images(path.from).flatMap(source => {
    const current = target.get(source.container);
    return current && !isSameImage(current.image, source.image)
      ? [
          {
            container: source.container,
            from: imageVersion(current),
            to: imageVersion(source),
          },
        ]
      : [];
  });
  if (standing.state === 'level' || standing.state === 'not-deployed') {
    return {
      kind: standing.state,
      reasons: standing.disabledReason ? [standing.disabledReason] : [],
      changes: [],
    };
  }
  const reasons = preview
    ? preview.blockers
        .filter(b => !STATED_ELSEWHERE.includes(b.code))
        // An admin may override a freeze window: the Promote dialog asks for the reason.
        .filter(b => !(b.code === 'freeze-window' && preview.canOverrideFreeze))
        .map(b => blockerReason(b, preview, approvers))
        .filter((reason, i, all) => all.indexOf(reason) === i)
    : [];
  if (reasons.length) {
    return { kind: 'blocked', reasons, changes };
  }
  if (standing.state === 'unknown') {
    return {
      kind: 'unknown',
      reasons: [
        standing.environment
          ? `Cannot compare: no images known for ${standing.environment}`
          : `Cannot compare: ${path.from} and ${path.to} share no container`,
      ],
      changes,
    };
  }
  return { kind: 'promote', reasons: [], changes };
}
