/**
 * Live updates: the backend publishes on an entity's channel (Backstage signals), and on the
 * channels of the groups that own it, whenever a promotion, rollback or promotion request of the
 * entity changes state; the frontend refetches.
 */

/** What changed; the message carries no more than the receiver needs to refetch. @public */
export type EcsDeploySignal = {
  entityRef: string;
  /** `promotion` for promotions and rollbacks (audit rows), `request` for promotion requests. */
  subject: 'promotion' | 'request';
  /** The new state: `started`, an outcome, or what happened to a request. */
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
