/*
 * The unclaimed ECS services: every service of every configured environment (ListServices, then
 * the status path's batched DescribeServices and cached task definitions) minus those a catalog
 * entity owns by the `backstage:entity-ref` tag or an admin's mapping. The whole inventory is
 * built once per status TTL for every caller (one build in flight per replica), then filtered
 * and paged per request.
 */
import type {
  AuthService,
  BackstageCredentials,
  CacheService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  awsEcsAnnotationsMatch,
  ECS_DEPLOY_TAGS,
  ecsDeployUnclaimedReadPermission,
  type ParsedUnclaimedServicesQuery,
  type UnclaimedService,
  type UnclaimedServices,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { EcsReader } from '../aws/types';
import { coalesce } from '../batchLoader';
import { annotatedEntities, groupOwnerOf } from './annotatedEntities';
import { normalRef, ownerCandidate, suggestName } from './suggestions';
import type { UnclaimedServicesService } from './types';

/** The inventory's cache entry (dropped when an adoption or release changes it). */
export const UNCLAIMED_CACHE_KEY = 'onboarding:unclaimed:v1';

/** A service of the inventory before the catalog is asked about the refs it names. */
type Candidate = Omit<UnclaimedService, 'reason' | 'suggestedOwner'> & {
  ownerCandidate?: string;
};

/** {@link UnclaimedServicesService} over the ECS reader and the catalog. */
export class DefaultUnclaimedServicesService
  implements UnclaimedServicesService
{
  private readonly build: () => Promise<UnclaimedService[]>;

  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      reader: EcsReader;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      cache: CacheService;
    },
  ) {
    const build = coalesce(
      (_: 'all') => this.inventory(),
      key => key,
    );
    this.build = () => build('all');
  }

  async list(
    query: ParsedUnclaimedServicesQuery,
    credentials: BackstageCredentials,
  ): Promise<UnclaimedServices> {
    const { settings, permissions, cache } = this.options;
    const [decision] = await permissions.authorize(
      [{ permission: ecsDeployUnclaimedReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not list unclaimed ECS services (${ecsDeployUnclaimedReadPermission.name})`,
      );
    }
    const names = settings.environments.map(e => e.name);
    if (query.environment && !names.includes(query.environment)) {
      throw new InputError(
        `Invalid query: environment "${
          query.environment
        }" is not configured; known: ${names.join(', ')}`,
      );
    }
    let all = (await cache.get(UNCLAIMED_CACHE_KEY)) as
      | UnclaimedService[]
      | undefined;
    if (!all) {
      all = await this.build();
      await cache.set(UNCLAIMED_CACHE_KEY, all as any, {
        ttl: settings.cache.statusTtlMs,
      });
    }
    const counts = {
      environments: Object.fromEntries(names.map(n => [n, 0])),
      owners: {} as Record<string, number>,
    };
    for (const s of all) {
      counts.environments[s.environment] += 1;
      const owner = s.suggestedOwner ?? 'none';
      counts.owners[owner] = (counts.owners[owner] ?? 0) + 1;
    }
    const search = query.search?.toLocaleLowerCase('en-US');
    const owner = query.owner?.toLocaleLowerCase('en-US');
    const matching = all.filter(
      s =>
        (!query.environment || s.environment === query.environment) &&
        (!owner || s.suggestedOwner === owner) &&
        (!search ||
          [s.serviceName, s.suggestedName, ...s.containers.map(c => c.image)]
            .join('\n')
            .toLocaleLowerCase('en-US')
            .includes(search)),
    );
    return {
      total: matching.length,
      offset: query.offset,
      items: matching.slice(query.offset, query.offset + query.limit),
      counts,
    };
  }

  /** Every unclaimed service, in configured environment order, then by name. */
  private async inventory(): Promise<UnclaimedService[]> {
    const { settings } = this.options;
    const perEnvironment = await Promise.all(
      settings.environments.map(env => this.candidates(env)),
    );
    const candidates = perEnvironment.flat();
    const refs = new Set<string>();
    for (const c of candidates) {
      const tag = c.entityRefTag;
      // A malformed tag names no entity: the service stays unclaimed.
      if (tag && normalRef(tag, 'component') === tag) refs.add(tag);
      if (c.ownerCandidate) refs.add(c.ownerCandidate);
    }
    const known = await this.existing([...refs]);
    const annotated = await annotatedEntities(this.options);
    const result: UnclaimedService[] = [];
    for (const { ownerCandidate: group, ...c } of candidates) {
      if (c.entityRefTag && known.has(c.entityRefTag)) {
        continue;
      }
      const by = annotated.find(e => awsEcsAnnotationsMatch(e, c));
      if (by) {
        result.push({
          ...c,
          reason: 'annotated',
          annotatedBy: stringifyEntityRef(by),
          suggestedOwner: groupOwnerOf(by),
        });
        continue;
      }
      result.push({
        ...c,
        reason: c.entityRefTag ? 'unknown-entity' : 'no-tag',
        suggestedOwner: group && known.has(group) ? group : undefined,
      });
    }
    return result;
  }

  /** The services of one environment that no tag with a valid ref and no mapping claims. */
  private async candidates(env: EnvironmentConfig): Promise<Candidate[]> {
    const { reader, settings } = this.options;
    const mapped = new Set(
      settings.ownershipMappings
        .filter(m => m.environment === env.name)
        .map(m => m.serviceName),
    );
    const names = (await reader.listServiceNames(env))
      .filter(n => !mapped.has(n))
      .sort();
    const reads = await reader.readServices(env, names);
    const environments = settings.environments.map(e => e.name);
    const candidates: Candidate[] = [];
    for (const name of names) {
      const { service, taskDefinitions } = reads.get(name) ?? {};
      if (!service?.serviceArn) continue;
      const tags = Object.fromEntries(
        (service.tags ?? []).map(t => [t.key ?? '', t.value ?? '']),
      );
      const rawRef = tags[ECS_DEPLOY_TAGS.entityRef];
      const taskDefinition = service.taskDefinition ?? '';
      candidates.push({
        environment: env.name,
        cluster: env.cluster,
        serviceName: name,
        serviceArn: service.serviceArn,
        entityRefTag:
          rawRef === undefined
            ? undefined
            : normalRef(rawRef, 'component') ?? rawRef,
        launchType:
          service.launchType ??
          service.capacityProviderStrategy?.[0]?.capacityProvider,
        desiredCount: service.desiredCount ?? 0,
        runningCount: service.runningCount ?? 0,
        taskDefinition,
        containers: (
          taskDefinitions?.[taskDefinition]?.containerDefinitions ?? []
        ).map(c => ({ name: c.name ?? '', image: c.image ?? '' })),
        tags,
        ownerCandidate: ownerCandidate(tags, settings.onboarding),
        suggestedName: suggestName(name, environments),
      });
    }
    return candidates;
  }

  /** Which of the refs the catalog has (asked as the plugin, so read rules cannot hide one). */
  private async existing(refs: string[]): Promise<Set<string>> {
    const { catalog, auth } = this.options;
    if (refs.length === 0) return new Set();
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return new Set(items.flatMap((e, i) => (e ? [refs[i]] : [])));
  }
}
