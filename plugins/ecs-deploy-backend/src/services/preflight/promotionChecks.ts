import type {
  DefinitionDifferences,
  PreflightResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsReader } from '../aws/types';
import { taskDefinitionDiff } from '../diff/taskDefinitionDiff';
import type { Side } from '../promotion/guards';
import { exactImages } from '../promotion/sides';
import type { PreflightChecks } from './types';

/** What a promotion's checks need: the task definition reader and the checks. */
export interface PromotionCheckDeps {
  reader: EcsReader;
  preflight: PreflightChecks;
}

/**
 * The pre-flight verdicts of promoting `source` into `target` (both deployed), and what differs
 * between their task definitions beyond the images. `images`: what the promotion sets (default:
 * the source's, pinned to the digests its tasks run). Throws when a revision cannot be read.
 */
export async function promotionChecks(
  deps: PromotionCheckDeps,
  source: Side,
  target: Side,
  options: {
    fresh: boolean;
    images?: Map<string, string>;
    signal?: AbortSignal;
  },
): Promise<{
  preflight: PreflightResult[];
  differences: DefinitionDifferences;
}> {
  const signal = options.signal ?? AbortSignal.timeout(60_000);
  const [sourceTd, targetTd, images] = await Promise.all([
    deps.reader.taskDefinition(
      source.env,
      source.state.summary!.taskDefinition.arn,
      signal,
    ),
    deps.reader.taskDefinition(
      target.env,
      target.state.summary!.taskDefinition.arn,
      signal,
    ),
    options.images ?? exactImages(deps.reader, source, signal),
  ]);
  const preflight = await deps.preflight.run(
    { source, target, targetTaskDefinition: targetTd, images },
    { fresh: options.fresh },
  );
  return { preflight, differences: taskDefinitionDiff(sourceTd, targetTd) };
}
