import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ActionOutcome,
  AuditRecord,
  EcsDeployInfo,
  EntityDeploymentStatus,
  EnvironmentTasks,
  PromoteRequest,
  PromotionPreview,
  RollbackPreview,
  RollbackRequest,
  TeamStatus,
} from '@internal/plugin-ecs-deploy-common';
import type { EcsDeployApi } from './EcsDeployApi';

/**
 * Default {@link EcsDeployApi}: talks to the `ecs-deploy` backend plugin through the fetch API
 * (which adds the user's credentials).
 *
 * @public
 */
export class EcsDeployClient implements EcsDeployApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getInfo(): Promise<EcsDeployInfo> {
    return this.request('/info');
  }

  getEntityStatus(entityRef: string): Promise<EntityDeploymentStatus> {
    return this.request(`${entityPath(entityRef)}/status`);
  }

  getEnvironmentTasks(
    entityRef: string,
    environment: string,
  ): Promise<EnvironmentTasks> {
    return this.request(`${entityPath(entityRef)}/tasks`, {
      query: { environment },
    });
  }

  getPromotionPreview(
    entityRef: string,
    options: { from: string; to: string },
  ): Promise<PromotionPreview> {
    return this.request(`${entityPath(entityRef)}/promotions/preview`, {
      query: { from: options.from, to: options.to },
    });
  }

  promote(entityRef: string, request: PromoteRequest): Promise<ActionOutcome> {
    return this.request(`${entityPath(entityRef)}/promotions`, {
      method: 'POST',
      body: request,
    });
  }

  getRollbackPreview(
    entityRef: string,
    environment: string,
  ): Promise<RollbackPreview> {
    return this.request(`${entityPath(entityRef)}/rollbacks/preview`, {
      query: { environment },
    });
  }

  rollback(
    entityRef: string,
    request: RollbackRequest,
  ): Promise<ActionOutcome> {
    return this.request(`${entityPath(entityRef)}/rollbacks`, {
      method: 'POST',
      body: request,
    });
  }

  getHistory(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<{ items: AuditRecord[] }> {
    return this.request(`${entityPath(entityRef)}/history`, {
      query: { limit: String(options?.limit ?? 50) },
    });
  }

  getTeamStatus(groupRef: string): Promise<TeamStatus> {
    const ref = parseEntityRef(groupRef, { defaultKind: 'group' });
    return this.request(
      `/teams/${encodeSegment(ref.namespace)}/${encodeSegment(
        ref.name,
      )}/status`,
    );
  }

  private async request<T>(
    path: string,
    options?: {
      method?: 'GET' | 'POST';
      query?: Record<string, string>;
      body?: unknown;
    },
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('ecs-deploy');
    const query = options?.query
      ? `?${new URLSearchParams(options.query).toString()}`
      : '';
    const res = await this.fetchApi.fetch(`${baseUrl}${path}${query}`, {
      method: options?.method ?? 'GET',
      ...(options?.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(options.body),
      }),
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}

function encodeSegment(value: string): string {
  return encodeURIComponent(value.toLocaleLowerCase('en-US'));
}

function entityPath(entityRef: string): string {
  const ref = parseEntityRef(entityRef);
  return `/entities/${encodeSegment(ref.kind)}/${encodeSegment(
    ref.namespace,
  )}/${encodeSegment(ref.name)}`;
}
