/*
 * Pre-flight checks of a promotion: named checks of the promotion's context, each passing or
 * blocking with a fix, evaluated in the preview (cached briefly) and again under the lock before
 * any write. A check reads AWS with the target account's clients; a read that fails is the
 * check's blocker, never the caller's error.
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type {
  GuardResult,
  PreflightCheckName,
  PreflightResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { Side } from '../promotion/guards';

/** What a promotion would roll out, as the checks see it. */
export interface PreflightContext {
  source: Side;
  target: Side;
  /** The target's current revision: the promotion registers a copy of it with new images. */
  targetTaskDefinition: TaskDefinition;
  /** container → the image the promotion sets (pinned to the digest the source's tasks run). */
  images: Map<string, string>;
}

/** A check's verdict. */
export type CheckVerdict =
  | { status: 'pass'; message: string }
  | { status: 'block'; message: string; fix: string };

/** A named check of the promotion context → pass | block(message, fix). */
export interface PreflightCheck {
  name: PreflightCheckName;
  run(context: PreflightContext, signal: AbortSignal): Promise<CheckVerdict>;
}

/** Runs every check (bounded in time; cached for previews, fresh for writes). */
export interface PreflightChecks {
  run(
    context: PreflightContext,
    options: { fresh: boolean },
  ): Promise<PreflightResult[]>;
}

/** The blocking verdicts as blockers of the preview (and the refusal of a write). */
export function preflightBlockers(results: PreflightResult[]): GuardResult[] {
  return results.flatMap(r =>
    r.status === 'block'
      ? [{ code: 'preflight' as const, message: r.message, fix: r.fix }]
      : [],
  );
}

/** `pass` with a message. */
export const pass = (message: string): CheckVerdict => ({
  status: 'pass',
  message,
});

/** `block` with a message and a fix. */
export const block = (message: string, fix: string): CheckVerdict => ({
  status: 'block',
  message,
  fix,
});

/** The verdicts of several items: the first block, else one pass naming them all. */
export function combine(
  verdicts: CheckVerdict[],
  passed: string,
): CheckVerdict {
  const blocked = verdicts.filter(
    (v): v is Extract<CheckVerdict, { status: 'block' }> =>
      v.status === 'block',
  );
  if (blocked.length === 0) return pass(passed);
  return block(
    blocked.map(b => b.message).join('; '),
    [...new Set(blocked.map(b => b.fix))].join(' '),
  );
}
