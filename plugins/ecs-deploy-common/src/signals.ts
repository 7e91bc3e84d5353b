/**
 * Live updates: the backend publishes on an entity's channel (Backstage signals), and on the
 * channels of the groups that own it, whenever a promotion, rollback, promotion request or
 * verification of the entity changes state, or its ECS service changes in an environment; the
 * frontend refetches.
 */

/** What changed; the message carries no more than the receiver needs to refetch. @public */
export type EcsDeploySignal = {
  entityRef: string;
  /**
   * `promotion` for promotions and rollbacks (audit rows), `request` for promotion requests,
   * `verification` for verifications, `status` for a change of the ECS service itself (`id`:
   * `<environment>/<service>`), `deployment` for a hold, continue or skipped bake of a deployment
   * in progress.
   */
  subject: 'promotion' | 'request' | 'verification' | 'status' | 'deployment';
  /** The new state: `started`, an outcome, what happened to a request, or the rollout state. */
  state: string;
  id: string;
};

/**
 * `ecs-deploy:component:default:payments-api`: the signal channel of an entity (of a group:
 * its services'). @public
 */
export function ecsDeploySignalChannel(entityRef: string): string {
  return `ecs-deploy:${entityRef
    .toLocaleLowerCase('en-US')
    .replace(/\//g, ':')}`;
}
