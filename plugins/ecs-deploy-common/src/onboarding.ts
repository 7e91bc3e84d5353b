/*
 * Onboarding: the ECS services that already run in the configured environments but that no
 * catalog entity owns yet (`GET /unclaimed-services`), with a suggested owner and name each.
 */
import { z } from 'zod';
import { environmentNameSchema, serviceNameSchema } from './rules/names';

/**
 * `GET /unclaimed-services?environment=&owner=&search=&offset=&limit=`.
 *
 * @public
 */
export const unclaimedServicesQuerySchema = z.object({
  environment: environmentNameSchema.optional(),
  /** Only the services whose suggested owner is this group. */
  owner: z
    .string()
    .max(200)
    .regex(
      /^group:[a-z0-9._-]+\/[a-zA-Z0-9._-]+$/,
      'must be a group ref like group:default/team-payments',
    )
    .optional(),
  /** A case-insensitive part of the service name, its image or its suggested name. */
  search: z.string().max(100).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
/** @public */
export type UnclaimedServicesQuery = z.input<
  typeof unclaimedServicesQuerySchema
>;
/** The query after parsing: defaults applied. @public */
export type ParsedUnclaimedServicesQuery = z.output<
  typeof unclaimedServicesQuerySchema
>;

/** Why a service counts as unclaimed. @public */
export type UnclaimedReason =
  /** It carries no `backstage:entity-ref` tag (and no admin mapping names it). */
  | 'no-tag'
  /** Its `backstage:entity-ref` tag names an entity the catalog does not have. */
  | 'unknown-entity'
  /**
   * An entity points at it with the annotations of AWS's ECS plugin (`annotatedBy`) but nothing
   * ties it to the portal yet: adoptable from that entity.
   */
  | 'annotated';

/** One ECS service no catalog entity owns. @public */
export interface UnclaimedService {
  environment: string;
  cluster: string;
  serviceName: string;
  serviceArn: string;
  reason: UnclaimedReason;
  /** The dangling `backstage:entity-ref` value when `reason` is `unknown-entity`. */
  entityRefTag?: string;
  launchType?: string;
  desiredCount: number;
  runningCount: number;
  /** The ARN of the task definition revision the service runs. */
  taskDefinition: string;
  containers: Array<{ name: string; image: string }>;
  /** The service's tags, as ECS has them. */
  tags: Record<string, string>;
  /** The entity whose AWS ECS plugin annotations point at it, when `reason` is `annotated`. */
  annotatedBy?: string;
  /**
   * The owner of `annotatedBy`, else the group its tags point at (`ecsDeploy.onboarding.ownerTags`),
   * if any.
   */
  suggestedOwner?: string;
  /** A catalog name that follows the portal's naming rules. */
  suggestedName: string;
}

/**
 * A page of unclaimed services (`total` matches the filters), and counts of all the unclaimed
 * services per environment and per suggested owner (`none` for those without one).
 *
 * @public
 */
export interface UnclaimedServices {
  total: number;
  offset: number;
  items: UnclaimedService[];
  counts: {
    environments: Record<string, number>;
    owners: Record<string, number>;
  };
}

/**
 * `POST /adoptions`: claim an unclaimed ECS service for a new component of the same name, in
 * each of `environments`: tag it `backstage:entity-ref` and create its image parameters from the
 * images it runs. `dryRun` checks everything and writes nothing.
 *
 * @public
 */
export const adoptionRequestSchema = z
  .object({
    serviceName: serviceNameSchema,
    environments: z.array(environmentNameSchema).min(1).max(20),
    owner: z
      .string()
      .max(200)
      .regex(
        /^group:[a-z0-9._-]+\/[a-zA-Z0-9._-]+$/,
        'must be a group ref like group:default/team-payments',
      ),
    dryRun: z.boolean().default(false),
    /**
     * When the service is adopted already as this component for this owner (the bulk adoption
     * job, an earlier claim), answer that adoption (`alreadyAdopted`, nothing written) instead of
     * 409, provided the caller may adopt for the owner: the adopt template and the bulk Terraform
     * import of an adopted service. Default false.
     */
    acceptAdopted: z.boolean().default(false),
  })
  .strict();
/** @public */
export type AdoptionRequest = z.input<typeof adoptionRequestSchema>;

/** `DELETE /adoptions/:environment/:serviceName` path parameters. @public */
export const adoptionParamsSchema = z.object({
  environment: environmentNameSchema,
  serviceName: z.string().min(1).max(255),
});

/** What an adoption wrote (or, in a dry run, would write) in one environment. @public */
export interface AdoptedService {
  environment: string;
  cluster: string;
  serviceArn: string;
  /** The `backstage:entity-ref` value before (a tag naming no entity), restored on release. */
  previousEntityRefTag?: string;
  /** The image parameters `<prefix>/<container>`, and whether the adoption created each. */
  imageParameters: Array<{ name: string; image: string; created: boolean }>;
}

/** The answer of `POST /adoptions`. @public */
export interface AdoptionResult {
  entityRef: string;
  owner: string;
  actor: string;
  dryRun: boolean;
  /** The service was adopted already as this component for this owner (acceptAdopted): nothing written. */
  alreadyAdopted?: boolean;
  services: AdoptedService[];
}

/**
 * `GET /adopter`: what the signed-in user may adopt, as the adoption checks it: a member of a
 * service's suggested owner group may adopt it for that group; an admin may adopt any service.
 *
 * @public
 */
export interface Adopter {
  userEntityRef: string;
  /** A member of an admin group (`ecsDeploy.permissions.adminGroups`). */
  admin: boolean;
  /** The groups the catalog has the user in (lowercase refs). */
  groups: string[];
}
