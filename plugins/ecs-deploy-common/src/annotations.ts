/*
 * Entity ↔ ECS mapping. The Terraform module `terraform-modules/ecs-service` names the ECS service
 * after the entity and tags it with `backstage:entity-ref`; these annotations let an entity point
 * at a differently named service, globally or per environment.
 */
import type { Entity } from '@backstage/catalog-model';

/**
 * ECS service name of the entity in every environment. Its presence turns the plugin on for the
 * entity; an empty value means "the entity's own name".
 *
 * @public
 */
export const ECS_DEPLOY_SERVICE_ANNOTATION = 'ecs-deploy.io/service-name';

/**
 * Per-environment override: `ecs-deploy.io/service-name.<environment>`, e.g.
 * `ecs-deploy.io/service-name.prod: payments-api-v2`.
 *
 * @public
 */
export const ECS_DEPLOY_SERVICE_ANNOTATION_PREFIX = `${ECS_DEPLOY_SERVICE_ANNOTATION}.`;

/**
 * Optional comma-separated list of the environments the entity is deployed to (default: all
 * configured environments).
 *
 * @public
 */
export const ECS_DEPLOY_ENVIRONMENTS_ANNOTATION = 'ecs-deploy.io/environments';

/** Tag keys written by the Terraform modules on every resource of a service. @public */
export const ECS_DEPLOY_TAGS = {
  entityRef: 'backstage:entity-ref',
  environment: 'backstage:environment',
  imageParameterPrefix: 'ecs-deploy:image-parameter-prefix',
} as const;

/** True when the entity carries the ECS deploy annotation. @public */
export function isEcsDeployAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations &&
      ECS_DEPLOY_SERVICE_ANNOTATION in entity.metadata.annotations,
  );
}

/**
 * The ECS service name of an entity in one environment: the per-environment annotation, else the
 * global one, else the entity name.
 *
 * @public
 */
export function getEcsServiceName(entity: Entity, environment: string): string {
  const annotations = entity.metadata.annotations ?? {};
  return (
    annotations[`${ECS_DEPLOY_SERVICE_ANNOTATION_PREFIX}${environment}`] ||
    annotations[ECS_DEPLOY_SERVICE_ANNOTATION] ||
    entity.metadata.name
  );
}

/**
 * The environments an entity is deployed to, in configured order.
 *
 * @public
 */
export function getEntityEnvironments(
  entity: Entity,
  configured: readonly string[],
): string[] {
  const raw = entity.metadata.annotations?.[ECS_DEPLOY_ENVIRONMENTS_ANNOTATION];
  if (!raw) {
    return [...configured];
  }
  const wanted = new Set(
    raw
      .split(',')
      .map(s => s.trim())
      .filter(Boolean),
  );
  return configured.filter(name => wanted.has(name));
}

/**
 * Verification settings of an entity, over `ecsDeploy.verification` (see the backend's README):
 * `ecs-deploy.io/verify.<key>` for every environment, `ecs-deploy.io/verify.<environment>.<key>`
 * for one (it wins). Keys: {@link ECS_DEPLOY_VERIFY_KEYS}.
 *
 * @public
 */
export const ECS_DEPLOY_VERIFY_ANNOTATION_PREFIX = 'ecs-deploy.io/verify.';

/**
 * The keys of the verification annotations:
 * - `enabled`: `true` or `false`;
 * - `http-url`: the HTTP check's URL template (`{service}` `{environment}` `{cluster}` `{region}`
 *   `{account}`), `none` for no HTTP check;
 * - `http-status`: the expected status (default 200);
 * - `http-body`: a regular expression the body must match;
 * - `alarms`: more CloudWatch alarm names to watch, comma-separated;
 * - `max-error-rate`: the highest 5xx share of requests, in % (`none`: not analysed);
 * - `max-latency-p95`: the highest p95 response time, in ms (`none`: not analysed).
 *
 * @public
 */
export const ECS_DEPLOY_VERIFY_KEYS = [
  'enabled',
  'http-url',
  'http-status',
  'http-body',
  'alarms',
  'max-error-rate',
  'max-latency-p95',
] as const;

/** @public */
export type EcsDeployVerifyKey = (typeof ECS_DEPLOY_VERIFY_KEYS)[number];

/**
 * An entity's verification annotation for one environment: the environment's own, else the
 * one for every environment; undefined when neither is set.
 *
 * @public
 */
export function getVerifyAnnotation(
  entity: Entity,
  environment: string,
  key: EcsDeployVerifyKey,
): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const value =
    annotations[
      `${ECS_DEPLOY_VERIFY_ANNOTATION_PREFIX}${environment}.${key}`
    ] ?? annotations[`${ECS_DEPLOY_VERIFY_ANNOTATION_PREFIX}${key}`];
  return value === undefined ? undefined : value.trim();
}

/**
 * AWS's ECS plugin for Backstage: the ARN of the entity's ECS service.
 *
 * @public
 */
export const AWS_ECS_SERVICE_ARN_ANNOTATION =
  'aws.amazon.com/amazon-ecs-service-arn';

/**
 * AWS's ECS plugin for Backstage: tags that find the entity's ECS services, `key=value` pairs
 * separated by commas (e.g. `component=billing,team=payments`).
 *
 * @public
 */
export const AWS_ECS_SERVICE_TAGS_ANNOTATION =
  'aws.amazon.com/amazon-ecs-service-tags';

/**
 * Whether the annotations of AWS's ECS plugin on `entity` point at `service`: its ARN, or tags
 * all of which the service carries.
 *
 * @public
 */
export function awsEcsAnnotationsMatch(
  entity: Pick<Entity, 'metadata'>,
  service: { serviceArn: string; tags: Record<string, string> },
): boolean {
  const annotations = entity.metadata.annotations ?? {};
  const arn = annotations[AWS_ECS_SERVICE_ARN_ANNOTATION]?.trim();
  if (arn) return arn === service.serviceArn;
  const pairs = (annotations[AWS_ECS_SERVICE_TAGS_ANNOTATION] ?? '')
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
    .map(p => {
      const at = p.indexOf('=');
      return at < 0 ? [p, ''] : [p.slice(0, at).trim(), p.slice(at + 1).trim()];
    });
  return (
    pairs.length > 0 && pairs.every(([k, v]) => service.tags[k] === v)
  );
}
