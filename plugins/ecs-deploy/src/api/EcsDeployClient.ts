import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  orgStatusQuerySchema,
  unclaimedServicesQuerySchema,
} from '@deployment-portal/plugin-ecs-deploy-common';
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

  // Each method is typed by the interface, which documents it.

  getInfo: EcsDeployApi['getInfo'] = () => this.request('/info');

  getEntityStatus: EcsDeployApi['getEntityStatus'] = entityRef =>
    this.request(`${entityPath(entityRef)}/status`);

  getEnvironmentTasks: EcsDeployApi['getEnvironmentTasks'] = (
    entityRef,
    environment,
  ) =>
    this.request(`${entityPath(entityRef)}/tasks`, {
      query: { environment },
    });

  getPromotionPreview: EcsDeployApi['getPromotionPreview'] = (
    entityRef,
    options,
  ) =>
    this.request(`${entityPath(entityRef)}/promotions/preview`, {
      query: { from: options.from, to: options.to },
    });

  promote: EcsDeployApi['promote'] = (entityRef, request) =>
    this.request(`${entityPath(entityRef)}/promotions`, {
      method: 'POST',
      body: request,
    });

  getRollbackPreview: EcsDeployApi['getRollbackPreview'] = (
    entityRef,
    environment,
  ) =>
    this.request(`${entityPath(entityRef)}/rollbacks/preview`, {
      query: { environment },
    });

  getDeploymentControls: EcsDeployApi['getDeploymentControls'] = (
    entityRef,
    environment,
  ) =>
    this.request(`${entityPath(entityRef)}/deployment/controls`, {
      query: { environment },
    });

  controlDeployment: EcsDeployApi['controlDeployment'] = (
    entityRef,
    action,
    request,
  ) =>
    this.request(`${entityPath(entityRef)}/deployment/${action}`, {
      method: 'POST',
      body: request,
    });

  rollback: EcsDeployApi['rollback'] = (entityRef, request) =>
    this.request(`${entityPath(entityRef)}/rollbacks`, {
      method: 'POST',
      body: request,
    });

  getHistory: EcsDeployApi['getHistory'] = (entityRef, options) =>
    this.request(`${entityPath(entityRef)}/history`, {
      query: { limit: String(options?.limit ?? 50) },
    });

  getLogs: EcsDeployApi['getLogs'] = (entityRef, query) =>
    this.request(`${entityPath(entityRef)}/logs`, {
      query: queryOf(query),
    });

  getTeamStatus: EcsDeployApi['getTeamStatus'] = groupRef => {
    const ref = parseEntityRef(groupRef, { defaultKind: 'group' });
    return this.request(
      `/teams/${encodeSegment(ref.namespace)}/${encodeSegment(
        ref.name,
      )}/status`,
    );
  };

  checkServiceName: EcsDeployApi['checkServiceName'] = name =>
    this.request(`/service-names/${encodeURIComponent(name)}`);

  getOrgStatus: EcsDeployApi['getOrgStatus'] = async (query = {}) =>
    this.request('/services', {
      query: checkedQuery(orgStatusQuerySchema, query, 'organisation view'),
    });

  getUnclaimedServices: EcsDeployApi['getUnclaimedServices'] = async (
    query = {},
  ) =>
    this.request('/unclaimed-services', {
      query: checkedQuery(unclaimedServicesQuerySchema, query, 'unclaimed'),
    });

  getAdopter: EcsDeployApi['getAdopter'] = () => this.request('/adopter');

  adoptService: EcsDeployApi['adoptService'] = request =>
    this.request('/adoptions', { method: 'POST', body: request });

  previewAdoptionJob: EcsDeployApi['previewAdoptionJob'] = request =>
    this.request('/adoption-jobs', {
      method: 'POST',
      body: { ...request, dryRun: true },
    });

  startAdoptionJob: EcsDeployApi['startAdoptionJob'] = request =>
    this.request('/adoption-jobs', {
      method: 'POST',
      body: { ...request, dryRun: false },
    });

  getAdoptionJob: EcsDeployApi['getAdoptionJob'] = id =>
    this.request(`/adoption-jobs/${encodeURIComponent(id)}`);

  getPromotionRequests: EcsDeployApi['getPromotionRequests'] = (
    entityRef,
    options = {},
  ) =>
    this.request(`${entityPath(entityRef)}/promotion-requests`, {
      query: queryOf(options),
    });

  requestPromotion: EcsDeployApi['requestPromotion'] = (entityRef, request) =>
    this.request(`${entityPath(entityRef)}/promotion-requests`, {
      method: 'POST',
      body: request,
    });

  approvePromotionRequest: EcsDeployApi['approvePromotionRequest'] = (
    entityRef,
    id,
    body = {},
  ) => this.decide(entityRef, id, 'approve', body);

  rejectPromotionRequest: EcsDeployApi['rejectPromotionRequest'] = (
    entityRef,
    id,
    body = {},
  ) => this.decide(entityRef, id, 'reject', body);

  getVerifications: EcsDeployApi['getVerifications'] = (
    entityRef,
    options = {},
  ) =>
    this.request(`${entityPath(entityRef)}/verifications`, {
      query: queryOf(options),
    });

  resolveVerification: EcsDeployApi['resolveVerification'] = (
    entityRef,
    id,
    decision,
    body = {},
  ) =>
    this.request(
      `${entityPath(entityRef)}/verifications/${encodeURIComponent(
        id,
      )}/${decision}`,
      { method: 'POST', body },
    );

  private decide<T>(
    entityRef: string,
    id: string,
    decision: 'approve' | 'reject',
    body: object,
  ): Promise<T> {
    return this.request(
      `${entityPath(entityRef)}/promotion-requests/${encodeURIComponent(
        id,
      )}/${decision}`,
      { method: 'POST', body },
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
    const search = new URLSearchParams(options?.query).toString();
    const query = search ? `?${search}` : '';
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

/**
 * The query checked with the backend's own schema (a bad one fails here, naming the field, before
 * any request), as query parameters.
 */
function checkedQuery(
  schema: typeof orgStatusQuerySchema | typeof unclaimedServicesQuerySchema,
  query: unknown,
  what: string,
): Record<string, string> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw new InputError(
      `Invalid ${what} query: ${parsed.error.issues
        .map(i => `${i.path.join('.')} ${i.message}`)
        .join('; ')}`,
    );
  }
  return queryOf(parsed.data);
}

/** Query parameters of the values that are set, as strings. */
function queryOf(values: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, value]) => value !== undefined && value !== '')
      .map(([key, value]) => [key, String(value)]),
  );
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
