/*
 * A promotion takes what its source runs: a verification of that revision that failed, or has
 * not ended, refuses it (a blocker in the preview, a 409 on the write).
 */
import type { GuardResult } from '@deployment-portal/plugin-ecs-deploy-common';
import type { VerificationStore } from '../../database/VerificationStore';
import type { Side } from '../promotion/guards';
import { ecsServiceRef } from '../serviceRef';

/** Why the source's verification refuses promoting it now, if it does. */
export async function sourceVerificationBlocker(
  verifications: Pick<VerificationStore, 'latest'>,
  source: Side,
): Promise<GuardResult | undefined> {
  const running = source.state.summary?.taskDefinition;
  if (!running) return undefined;
  const v = await verifications.latest(
    ecsServiceRef(source.env, source.serviceName),
    running.arn,
  );
  const revision = `${running.family}:${running.revision}`;
  const env = source.env.name;
  switch (v?.status) {
    case 'running':
      // Not planned yet (the runner's next round): nothing known to wait for. A staging
      // deploy with nothing to check would otherwise block promotions until it is skipped.
      if (v.checks.length === 0) return undefined;
      return {
        code: 'verification-running',
        message: `The verification of ${revision} in ${env} is still running; promote once it is verified`,
      };
    case 'held':
      return {
        code: 'verification-running',
        message: `The verification of ${revision} in ${env} is inconclusive and held (${v.message}); an owner continues or aborts it`,
      };
    case 'failed':
    case 'aborted':
      return {
        code: 'verification-failed',
        message: `The verification of ${revision} in ${env} ${
          v.status === 'failed'
            ? 'failed'
            : `was aborted by ${v.resolution?.by}`
        }: ${v.message}. Deploy a fixed revision to ${env}, or verify it again`,
      };
    default:
      return undefined;
  }
}
