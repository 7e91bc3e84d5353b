import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ecsDeploySignalChannel,
  EcsDeploySignal,
} from '@deployment-portal/plugin-ecs-deploy-common';
import { LRUCache } from 'lru-cache';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import { ownersOf } from '../catalog/owners';
import type {
  RefreshCause,
  ServiceStateStore,
  StateChange,
  StateChangeListener,
} from '../status/types';
import type { ChangeBus, ChangeMessage } from './changeBus';

/** How long an entity's owners are reused before the catalog is asked again. */
const OWNERS_TTL_MS = 60_000;

/**
 * Announces every stored status change to all replicas (the change bus): each drops its own
 * copy of the service's entry and signals its open pages, on the channel of the entity the
 * service belongs to (its `backstage:entity-ref` tag, or an admin's mapping) and of the groups
 * that own it (entity pages, team views). The owners come from the catalog, briefly cached.
 */
export class StatusAnnouncer implements StateChangeListener {
  private readonly owners = new LRUCache<string, string[]>({
    max: 10_000,
    ttl: OWNERS_TTL_MS,
  });

  constructor(
    private readonly options: {
      settings: Pick<EcsDeployConfig, 'ownershipMappings'>;
      bus: ChangeBus;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  private async ownersOf(entityRef: string): Promise<string[]> {
    const known = this.owners.get(entityRef);
    if (known) return known;
    const entity = await this.options.catalog
      .getEntityByRef(entityRef, {
        credentials: await this.options.auth.getOwnServiceCredentials(),
      })
      .catch(error => {
        this.options.logger.debug(`Owners of ${entityRef}: ${error}`);
        return undefined;
      });
    const owners = entity ? ownersOf(entity) : [];
    this.owners.set(entityRef, owners);
    return owners;
  }

  /** The entities an ECS service belongs to: its tag's, and any an admin mapped to it. */
  private entitiesOf(env: EnvironmentConfig, change: StateChange): string[] {
    const tagged = change.state.entityRefTag?.toLocaleLowerCase('en-US');
    const mapped = this.options.settings.ownershipMappings
      .filter(m => m.environment === env.name && m.serviceName === change.name)
      .map(m => m.entityRef);
    return [...new Set([...(tagged ? [tagged] : []), ...mapped])];
  }

  async changed(
    env: EnvironmentConfig,
    changes: StateChange[],
    _cause: RefreshCause,
  ): Promise<void> {
    const services = await Promise.all(
      changes.map(async change => {
        const entities = this.entitiesOf(env, change);
        const owners = await Promise.all(entities.map(e => this.ownersOf(e)));
        return {
          name: change.name,
          refs: [...new Set([...entities, ...owners.flat()])],
          entityRef: entities[0],
          state: change.state.summary?.rolloutState ?? 'changed',
        };
      }),
    );
    await this.options.bus.publish({ environment: env.name, services });
  }
}

/**
 * What every replica does with a change message: drop its copies of the services' entries, then
 * signal its own open pages (each replica serves its own WebSocket connections).
 */
export async function followChanges(options: {
  bus: ChangeBus;
  environments: EnvironmentConfig[];
  store: Pick<ServiceStateStore, 'forget'>;
  signals: SignalsService;
  logger: LoggerService;
}): Promise<void> {
  const { store, signals, logger } = options;
  await options.bus.subscribe((message: ChangeMessage) => {
    const env = options.environments.find(e => e.name === message.environment);
    if (!env) return;
    store.forget(
      env,
      message.services.map(s => s.name),
    );
    for (const service of message.services) {
      const signal: EcsDeploySignal = {
        entityRef: service.entityRef ?? '',
        subject: 'status',
        state: service.state,
        id: `${env.name}/${service.name}`,
      };
      for (const ref of service.refs) {
        signals
          .publish<EcsDeploySignal>({
            recipients: { type: 'broadcast' },
            channel: ecsDeploySignalChannel(ref),
            message: signal,
          })
          .catch(error => logger.debug(`Signal to ${ref}: ${error}`));
      }
    }
  });
}
