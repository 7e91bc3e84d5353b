import type {
  DefinitionDifferences,
  GuardResult,
  PreflightResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig } from '../../config';
import type { Side } from '../promotion/guards';
import { promotionChecks, PromotionCheckDeps } from './promotionChecks';
import { preflightBlockers } from './types';

/**
 * A preview's pre-flight verdicts (cached ones reused), the differences beyond the images, and
 * the blockers: one per blocking check, or one saying the checks could not run.
 */
export async function previewChecks(
  deps: PromotionCheckDeps & {
    settings: Pick<EcsDeployConfig, 'readDeadlineMs'>;
  },
  source: Side,
  target: Side,
): Promise<{
  preflight?: PreflightResult[];
  differences?: DefinitionDifferences;
  blockers: GuardResult[];
}> {
  try {
    const checked = await promotionChecks(deps, source, target, {
      fresh: false,
      signal: AbortSignal.timeout(deps.settings.readDeadlineMs),
    });
    return { ...checked, blockers: preflightBlockers(checked.preflight) };
  } catch (error) {
    return {
      blockers: [
        {
          code: 'preflight',
          message: `Could not run the pre-flight checks: ${
            (error as Error).message
          }`,
          fix: 'Try again when ECS answers.',
        },
      ],
    };
  }
}
