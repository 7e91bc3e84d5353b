/*
 * Adoption of an unclaimed ECS service by a new component of the same name: every check first
 * (configured environments, the service exists and nobody owns it, the caller is a member of the
 * suggested owner group or an admin), then one claim row per environment (exactly one of two
 * adopters gets in), then the tag and the image parameters. Every attempt goes to the auditor;
 * a release restores the tag and removes the parameters the adoption created.
 */
import type {
  AuditorService,
  AuthService,
  CacheService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  awsEcsAnnotationsMatch,
  type AdoptedService,
  type Adopter,
  type AdoptionRequest,
  type AdoptionResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { AdoptionStore } from '../../database/AdoptionStore';
import type { EcsReader } from '../aws/types';
import type { Caller } from '../catalog/types';
import { decideAdopter } from './adopters';
import { groupOwnerOf } from './annotatedEntities';
import { claimAndWrite, heldBy } from './adoptionClaim';
import { readAdoptionTarget, type AdoptionTarget } from './adoptionTargets';
import type { AdoptionWrites } from './adoptionWrites';
import { UNCLAIMED_CACHE_KEY } from './DefaultUnclaimedServicesService';
import type { AdoptionService } from './types';

type Parsed = Required<AdoptionRequest>;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const ownerOf = (e: Entity) => String(e.spec?.owner ?? 'none');

/** {@link AdoptionService} over the ECS reader, the catalog and the adoptions table. */
export class DefaultAdoptionService implements AdoptionService {
  private readonly writes: AdoptionWrites;

  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      reader: EcsReader;
      writes: AdoptionWrites;
      catalog: CatalogService;
      auth: AuthService;
      auditor: AuditorService;
      cache: CacheService;
      store: AdoptionStore;
    },
  ) {
    this.writes = options.writes;
  }

  async adopt(request: Parsed, caller: Caller): Promise<AdoptionResult> {
    const entityRef = `component:default/${request.serviceName}`;
    const event = await this.options.auditor.createEvent({
      eventId: 'adopt-service',
      severityLevel: request.dryRun ? 'low' : 'medium',
      meta: {
        actor: caller.userEntityRef,
        entityRef,
        owner: request.owner,
        environments: request.environments,
        serviceName: request.serviceName,
        dryRun: request.dryRun,
      },
    });
    try {
      const result = await this.adoptChecked(request, caller, entityRef);
      await event.success({
        meta: {
          services: result.services.map(a => ({
            environment: a.environment,
            serviceArn: a.serviceArn,
            previousEntityRefTag: a.previousEntityRefTag ?? null,
            createdParameters: a.imageParameters
              .filter(p => p.created)
              .map(p => p.name),
          })),
        },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  async adopter(caller: Caller): Promise<Adopter> {
    const { admin, memberOf } = await this.decide(caller, []);
    return { userEntityRef: caller.userEntityRef, admin, groups: memberOf };
  }

  async release(
    environment: string,
    serviceName: string,
    caller: Caller,
  ): Promise<void> {
    const event = await this.options.auditor.createEvent({
      eventId: 'release-adoption',
      severityLevel: 'medium',
      meta: { actor: caller.userEntityRef, environment, serviceName },
    });
    try {
      const env = this.environment(environment);
      const row = await this.options.store.get(environment, serviceName);
      if (!row) {
        throw new NotFoundError(
          `ECS service ${serviceName} in ${environment} was not adopted through the portal`,
        );
      }
      await this.authorize(caller, [row.owner], `release ${serviceName}`);
      await this.writes.setEntityRefTag(
        env,
        row.serviceArn,
        row.previousEntityRefTag,
      );
      for (const name of row.createdParameters) {
        await this.writes.deleteParameter(env, name);
      }
      await this.options.store.release(environment, serviceName);
      await this.options.cache.delete(UNCLAIMED_CACHE_KEY);
      await event.success({ meta: { entityRef: row.entityRef } });
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  private async adoptChecked(
    request: Parsed,
    caller: Caller,
    entityRef: string,
  ): Promise<AdoptionResult> {
    const { store } = this.options;
    const { serviceName, owner } = request;
    const envs = request.environments.map(e => this.environment(e));
    const targets: AdoptionTarget[] = [];
    for (const env of envs) {
      targets.push(await readAdoptionTarget(this.options, env, serviceName));
    }
    const named = await this.existing([
      entityRef,
      lower(owner),
      ...targets.flatMap(t => t.adopted.previousEntityRefTag ?? []),
      ...targets.flatMap(t => t.suggestedOwner ?? []),
    ]);
    // An entity of its name may exist only as the one whose AWS ECS plugin annotations point at
    // the service in every environment: the adoption starts from it, for its owner.
    const own = named.get(entityRef);
    const from =
      own &&
      targets.every(t =>
        awsEcsAnnotationsMatch(own, {
          serviceArn: t.adopted.serviceArn,
          tags: t.tags,
        }),
      )
        ? own
        : undefined;
    if (own && !from) {
      throw new ConflictError(
        `An entity ${entityRef} already exists (owner ${ownerOf(
          own,
        )}): ECS service ${serviceName} cannot be adopted under its name`,
      );
    }
    const rows = await Promise.all(
      targets.map(t => store.get(t.env.name, serviceName)),
    );
    if (
      request.acceptAdopted &&
      rows.every(r => r?.entityRef === entityRef && r.owner === lower(owner))
    ) {
      // Adopted already as this component for this owner: answered as it is, for whoever may
      // act for the owner (the template or the bulk import generating its repository).
      await this.authorize(caller, [lower(owner)], `adopt ${serviceName}`);
      return {
        entityRef,
        owner: lower(owner),
        actor: caller.userEntityRef,
        dryRun: request.dryRun,
        alreadyAdopted: true,
        services: targets.map((t, i) => ({
          ...t.adopted,
          previousEntityRefTag: rows[i]!.previousEntityRefTag,
          imageParameters: t.adopted.imageParameters.map(p => ({
            ...p,
            created: false,
          })),
        })),
      };
    }
    for (const [i, { env, adopted }] of targets.entries()) {
      const tag = adopted.previousEntityRefTag;
      if (tag && named.has(tag)) {
        throw new ConflictError(
          `ECS service ${serviceName} in ${
            env.name
          } is already owned by ${tag} (owner ${named.get(tag)})`,
        );
      }
      const held = rows[i];
      if (held) throw heldBy(held);
    }
    if (!named.has(lower(owner))) {
      throw new InputError(
        `Invalid owner "${owner}": no such group in the catalog`,
      );
    }
    // As discovery suggests them: the annotated entity's owner, else the groups the tags name
    // that the catalog has.
    const fromOwner = from && groupOwnerOf(from);
    const suggested = from
      ? [fromOwner ?? []].flat()
      : [...new Set(targets.flatMap(t => t.suggestedOwner ?? []))].filter(g =>
          named.has(g),
        );
    const decision = await this.authorize(
      caller,
      suggested,
      `adopt ${serviceName}`,
    );
    if (!decision.admin && !suggested.includes(lower(owner))) {
      throw new NotAllowedError(
        `${
          caller.userEntityRef
        } may adopt ${serviceName} only for ${suggested.join(
          ', ',
        )}, not for ${owner} (admins may name any group)`,
      );
    }
    const result = (services: AdoptedService[], dryRun: boolean) => ({
      entityRef,
      owner: lower(owner),
      actor: caller.userEntityRef,
      dryRun,
      services,
    });
    if (request.dryRun) {
      return result(
        targets.map(t => t.adopted),
        true,
      );
    }
    return result(
      await claimAndWrite(
        this.options,
        targets,
        request,
        caller.userEntityRef,
        entityRef,
      ),
      false,
    );
  }

  private environment(name: string): EnvironmentConfig {
    const { environments } = this.options.settings;
    const env = environments.find(e => e.name === name);
    if (!env) {
      throw new InputError(
        `Invalid environment "${name}": not configured; known: ${environments
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    return env;
  }

  /** A 403 (audited by the caller of this) unless the caller may act for `groups`. */
  private async authorize(caller: Caller, groups: string[], what: string) {
    const decision = await this.decide(caller, groups);
    if (!decision.allowed) {
      const who =
        groups.length > 0
          ? `only members of ${groups.join(', ')} or an admin may`
          : 'its tags suggest no owner group, so only an admin may';
      const memberOf = decision.memberOf.join(', ') || 'no group';
      throw new NotAllowedError(
        `${caller.userEntityRef} may not ${what}: ${who} (member of ${memberOf})`,
      );
    }
    return decision;
  }

  private decide(caller: Caller, groups: string[]) {
    return decideAdopter(
      {
        catalog: this.options.catalog,
        auth: this.options.auth,
        adminGroups: this.options.settings.onboarding.adminGroups,
      },
      caller.userEntityRef,
      groups,
    );
  }

  /** The entities of `refs` the catalog has (asked as the plugin). */
  private async existing(refs: string[]): Promise<Map<string, Entity>> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const found = new Map<string, Entity>();
    items.forEach((e, i) => {
      if (e) found.set(refs[i], e);
    });
    return found;
  }
}
