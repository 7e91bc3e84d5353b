/*
 * Revisions of a target's task definition a rollback returns to (as a copy, rolled forward).
 */
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { TaskDefinitionRef } from '@deployment-portal/plugin-ecs-deploy-common';
import { ecsServiceRef } from '../serviceRef';
import { parseTaskDefinitionRef } from '../status/summarize';
import type { PromotionDeps } from './deps';
import type { Side } from './guards';

/** A revision of the target's task definition, as a rollback rolls forward to a copy of it. */
export interface Revision {
  td: TaskDefinition;
  ref: TaskDefinitionRef;
}

/** A revision of the target's task definition, as a rollback rolls forward to a copy of it. */
export async function revision(
  deps: PromotionDeps,
  target: Side,
  arn: string,
): Promise<Revision> {
  const td = await deps.reader.taskDefinition(target.env, arn);
  return { td, ref: parseTaskDefinitionRef(td.taskDefinitionArn!, td) };
}

/** The revision the last recorded action into the target replaced (what a rollback returns to). */
export async function previousRevision(deps: PromotionDeps, target: Side) {
  const current = target.state.summary;
  if (!current) return undefined;
  const record = await deps.audit.lastInto(
    ecsServiceRef(target.env, target.serviceName),
    current.taskDefinition.arn,
  );
  if (!record?.previousTaskDefinition) return undefined;
  return revision(deps, target, record.previousTaskDefinition);
}
