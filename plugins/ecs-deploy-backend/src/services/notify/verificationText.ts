/*
 * What a notification says about a verification that changed state.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import type { DeploymentEvent } from './types';

type VerificationEvent = Extract<DeploymentEvent, { subject: 'verification' }>;

/** Title, description and severity of a verification event. */
export function verificationText({
  kind,
  verification: v,
}: VerificationEvent): {
  title: string;
  description: string;
  severity: NotificationSeverity;
} {
  const what = `Verification of ${parseEntityRef(v.entityRef).name} in ${
    v.environment
  } (${v.taskDefinition.split('/').pop()})`;
  const rollback = v.rollback ? ` ${v.rollback.message}` : '';
  const decided = v.resolution
    ? ` by ${v.resolution.by}${
        v.resolution.reason ? `: ${v.resolution.reason}` : ''
      }`
    : '';
  switch (kind) {
    case 'verified':
      return {
        title: `${what} verified`,
        description: v.message ?? 'Every check passed.',
        severity: 'normal',
      };
    case 'failed':
      return {
        title: `${what} failed`,
        description: `${v.message ?? 'A check failed.'}${rollback}`,
        severity: 'high',
      };
    case 'held':
      return {
        title: `${what} is inconclusive: continue or abort`,
        description: `${
          v.message ?? 'A check could not decide.'
        } An owner continues (accepts the revision) or aborts (rolls it back) in the Deployments tab.`,
        severity: 'high',
      };
    case 'continued':
      return {
        title: `${what} continued${decided}`,
        description: v.message ?? '',
        severity: 'normal',
      };
    case 'aborted':
      return {
        title: `${what} aborted${decided}`,
        description: `${v.message ?? ''}${rollback}`.trim(),
        severity: 'high',
      };
    default:
      return {
        title: `${what} cancelled`,
        description: v.message ?? '',
        severity: 'low',
      };
  }
}
