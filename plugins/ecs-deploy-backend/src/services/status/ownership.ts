/*
 * Proof of ownership: an ECS service belongs to the entity named by its `backstage:entity-ref`
 * tag (written by Terraform, i.e. by whoever controls the AWS account), or, for a service without
 * the tag, by an admin's mapping in config. Never by the entity's annotation alone. Pure.
 */
import {
  DetectedProblem,
  ECS_DEPLOY_TAGS,
  OwnershipStatus,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { OwnershipMapping } from '../../config';

const same = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** Whether the service (with the given tag) belongs to `entityRef` in `environment`. */
export function ownershipOf(
  entityRef: string,
  environment: string,
  serviceName: string,
  entityRefTag: string | undefined,
  mappings: OwnershipMapping[],
): OwnershipStatus {
  if (entityRefTag !== undefined) {
    return same(entityRefTag, entityRef)
      ? { owned: true, proof: 'tag', tag: entityRefTag }
      : { owned: false, tag: entityRefTag };
  }
  const mapped = mappings.some(
    m =>
      same(m.entityRef, entityRef) &&
      m.environment === environment &&
      m.serviceName === serviceName,
  );
  return mapped ? { owned: true, proof: 'mapping' } : { owned: false };
}

/** One sentence saying why the service is not the entity's. */
export function notOwnedMessage(
  entityRef: string,
  environment: string,
  cluster: string,
  serviceName: string,
  ownership: OwnershipStatus,
): string {
  const found = ownership.tag
    ? `carries ${ECS_DEPLOY_TAGS.entityRef}=${ownership.tag}`
    : `has no ${ECS_DEPLOY_TAGS.entityRef} tag`;
  return `ECS service ${serviceName} in ${environment} (cluster ${cluster}) ${found}, so it is not owned by ${entityRef}`;
}

/** The problem shown in read views for a service the entity names but does not own. */
export function notOwnedProblem(message: string): DetectedProblem {
  return {
    code: 'not-owned',
    severity: 'error',
    message: `${message}.`,
    fix: `Point the entity's ecs-deploy.io/service-name annotation at its own service, or have the service's Terraform (ecs-service module, entity_ref) tag it for this entity. Services that predate the tag can be mapped by an admin in ecsDeploy.ownership.mappings.`,
  };
}
