import { CacheService } from '@backstage/backend-plugin-api';
import type {
  PreflightCheckName,
  PreflightResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { PreflightConfig } from '../../config';
import type { AwsClients } from '../aws/AwsClients';
import { deadline } from '../aws/deadline';
import { ecsServiceRef, serviceKey } from '../serviceRef';
import { imageDigestCheck } from './imageDigest';
import { logGroupCheck } from './logGroups';
import { secretsCheck } from './secrets';
import { targetGroupPortCheck } from './targetGroupPort';
import { taskRolesCheck } from './taskRoles';
import type {
  CheckVerdict,
  PreflightCheck,
  PreflightChecks,
  PreflightContext,
} from './types';

const LABELS: Record<PreflightCheckName, string> = {
  'image-digest': 'the image digest',
  'task-roles': 'the task and execution roles',
  'log-group': 'the log group',
  secrets: 'the secrets and parameters',
  'target-group-port': 'the target group port',
};

/** The checks every promotion runs, in the order the preview lists them. */
export function defaultChecks(
  clients: AwsClients,
  settings: PreflightConfig,
): PreflightCheck[] {
  return [
    imageDigestCheck(settings.requireDigest),
    taskRolesCheck(clients),
    logGroupCheck(clients),
    secretsCheck(clients),
    targetGroupPortCheck(clients),
  ];
}

/**
 * {@link PreflightChecks}: every check at once within `timeoutMs`; a check that throws or does
 * not answer in time blocks, naming what it could not read. A preview reuses a verdict of the
 * same target revision and images for `cacheTtlMs` (in the shared cache); a write checks afresh.
 */
export class DefaultPreflightChecks implements PreflightChecks {
  constructor(
    private readonly options: {
      checks: PreflightCheck[];
      cache: CacheService;
      settings: PreflightConfig;
    },
  ) {}

  async run(
    context: PreflightContext,
    { fresh }: { fresh: boolean },
  ): Promise<PreflightResult[]> {
    const { checks, settings } = this.options;
    const { signal, within } = deadline(
      settings.timeoutMs,
      'The pre-flight checks',
    );
    return Promise.all(
      checks.map(async check => {
        const verdict = await this.verdict(
          check,
          context,
          fresh,
          signal,
          within,
        );
        return { check: check.name, ...verdict } as PreflightResult;
      }),
    );
  }

  private async verdict(
    check: PreflightCheck,
    context: PreflightContext,
    fresh: boolean,
    signal: AbortSignal,
    within: <T>(p: Promise<T>) => Promise<T>,
  ): Promise<CheckVerdict> {
    const { cache, settings } = this.options;
    const { target } = context;
    const key = [
      'ecs-deploy:preflight',
      check.name,
      serviceKey(ecsServiceRef(target.env, target.serviceName)),
      context.targetTaskDefinition.taskDefinitionArn,
      [...context.images].map(([c, i]) => `${c}=${i}`).join(','),
    ].join('|');
    if (!fresh) {
      const cached = (await cache.get<any>(key)) as CheckVerdict | undefined;
      if (cached) return cached;
    }
    try {
      const verdict = await within(check.run(context, signal));
      await cache.set(key, verdict, { ttl: settings.cacheTtlMs });
      return verdict;
    } catch (error) {
      const e = error as Error;
      return {
        status: 'block',
        message: `Could not check ${LABELS[check.name]} in ${
          target.env.name
        }: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`,
        fix: `Try again when AWS answers; if it keeps failing, let the portal's role in ${target.env.name} read it (terraform-modules/portal-access grants the pre-flight reads).`,
      };
    }
  }
}
