import type { Entity } from '@backstage/catalog-model';
import type {
  ActionOutcome,
  Adopter,
  AuditRecord,
  EcsDeployInfo,
  EntityDeploymentStatus,
  EnvironmentStatus,
  OrgStatus,
  PromotionPreview,
  RollbackPreview,
  TeamStatus,
  UnclaimedService,
  UnclaimedServices,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployApi } from '../api';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'ecs-deploy.io/service-name': 'payments-api' },
  },
  spec: { type: 'service', owner: 'group:default/team-payments' },
};

export const entityRef = 'component:default/payments-api';

export const groupEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

export const info: EcsDeployInfo = {
  environments: [
    {
      name: 'staging',
      title: 'Staging',
      region: 'us-east-1',
      cluster: 'demo-staging',
    },
    {
      name: 'prod',
      title: 'Production',
      region: 'us-east-1',
      cluster: 'demo-prod',
    },
  ],
  promotionPaths: [{ from: 'staging', to: 'prod' }],
  activeFreezeWindows: [],
};

const arn = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;

export const td = (env: string, revision: number) => ({
  arn: arn(`payments-api-${env}`, revision),
  family: `payments-api-${env}`,
  revision,
});

export function envStatus(
  environment: string,
  overrides: Partial<EnvironmentStatus> = {},
): EnvironmentStatus {
  const revision = environment === 'prod' ? 7 : 12;
  const tag = environment === 'prod' ? 'v1.4.0' : 'v1.5.0';
  const image = {
    container: 'app',
    image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:${tag}`,
    tag,
    digest: `sha256:${
      environment === 'prod' ? 'aaaa' : 'bbbb'
    }1111222233334444`,
  };
  return {
    environment,
    region: 'us-east-1',
    cluster: `demo-${environment}`,
    serviceName: 'payments-api',
    health: 'healthy',
    problems: [],
    service: {
      arn: `arn:aws:ecs:us-east-1:123456789012:service/demo-${environment}/payments-api`,
      name: 'payments-api',
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      taskDefinition: td(environment, revision),
      images: [image],
      rolloutState: 'COMPLETED',
      deployments: [
        {
          id: `ecs-svc/${environment}-1`,
          status: 'PRIMARY',
          taskDefinition: td(environment, revision),
          images: [image],
          rolloutState: 'COMPLETED',
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          failedTasks: 0,
          createdAt: '2026-11-20T10:00:00Z',
          updatedAt: '2026-11-20T10:05:00Z',
        },
      ],
      events: [
        {
          id: `${environment}-e1`,
          createdAt: '2026-11-20T10:05:00Z',
          message: `(service payments-api) has reached a steady state.`,
        },
      ],
      lastDeploymentAt: '2026-11-20T10:00:00Z',
    },
    links: {
      console: `https://console.aws.amazon.com/ecs/${environment}`,
      logs: [
        {
          title: `CloudWatch logs (${environment})`,
          url: `https://logs.example.com/${environment}`,
          kind: 'cloudwatch',
        },
      ],
    },
    fetchedAt: '2026-11-20T10:06:00Z',
    ...overrides,
  };
}

export function entityStatus(
  environments: EnvironmentStatus[] = [envStatus('staging'), envStatus('prod')],
): EntityDeploymentStatus {
  return {
    entityRef,
    environments,
    promotionPaths: [{ from: 'staging', to: 'prod' }],
  };
}

export const promotionPreview: PromotionPreview = {
  entityRef,
  from: 'staging',
  to: 'prod',
  source: {
    taskDefinition: td('staging', 12),
    images: envStatus('staging').service!.images,
  },
  target: {
    taskDefinition: td('prod', 7),
    images: envStatus('prod').service!.images,
  },
  changes: [
    {
      container: 'app',
      from: '123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:v1.4.0',
      to: '123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:v1.5.0',
    },
  ],
  blockers: [],
  allowed: true,
};

export const rollbackPreview: RollbackPreview = {
  entityRef,
  environment: 'prod',
  current: {
    taskDefinition: td('prod', 7),
    images: envStatus('prod').service!.images,
  },
  previous: {
    taskDefinition: td('prod', 6),
    images: [
      {
        container: 'app',
        image:
          '123456789012.dkr.ecr.us-east-1.amazonaws.com/payments-api:v1.3.9',
        tag: 'v1.3.9',
      },
    ],
  },
  blockers: [],
  allowed: true,
};

export function outcome(revision: number, env = 'prod'): ActionOutcome {
  return {
    audit: {
      id: 'audit-1',
      action: 'promote',
      entityRef,
      actor: 'user:default/alice',
      fromEnvironment: 'staging',
      toEnvironment: env,
      previousImages: [],
      newImages: [],
      result: 'started',
      createdAt: '2026-11-20T11:00:00Z',
    },
    taskDefinition: td(env, revision),
    images: [],
  };
}

export const teamStatus: TeamStatus = {
  groupRef: 'group:default/team-payments',
  environments: ['staging', 'prod'],
  rows: [
    {
      entityRef,
      title: 'Payments API',
      environments: {
        staging: {
          health: 'healthy',
          taskDefinition: td('staging', 12),
          images: [
            { container: 'app', image: 'payments-api:v1.5.0', tag: 'v1.5.0' },
          ],
          desiredCount: 2,
          runningCount: 2,
          rolloutState: 'COMPLETED',
        },
        prod: {
          health: 'healthy',
          taskDefinition: td('prod', 7),
          images: [
            { container: 'app', image: 'payments-api:v1.4.0', tag: 'v1.4.0' },
          ],
          desiredCount: 2,
          runningCount: 2,
          rolloutState: 'COMPLETED',
        },
      },
      lags: [{ from: 'staging', to: 'prod', state: 'behind', lagging: true }],
    },
    {
      entityRef: 'component:default/ledger',
      title: 'Ledger',
      environments: {
        staging: {
          health: 'failed',
          taskDefinition: td('staging', 3),
          images: [{ container: 'app', image: 'ledger:v2.0.0', tag: 'v2.0.0' }],
        },
        prod: {
          health: 'unknown',
          images: [],
          error: {
            name: 'AccessDenied',
            message: 'Access denied to demo-prod',
          },
        },
      },
      // prod could not be read.
      lags: [{ from: 'staging', to: 'prod', state: 'unknown', lagging: false }],
    },
    {
      entityRef: 'component:default/checkout',
      title: 'Checkout',
      environments: {
        staging: {
          health: 'healthy',
          taskDefinition: td('staging', 4),
          images: [
            { container: 'app', image: 'checkout:v3.1.0', tag: 'v3.1.0' },
          ],
        },
        prod: {
          health: 'healthy',
          taskDefinition: td('prod', 2),
          images: [
            { container: 'app', image: 'checkout:v3.1.0', tag: 'v3.1.0' },
          ],
        },
      },
      lags: [{ from: 'staging', to: 'prod', state: 'level', lagging: false }],
    },
  ],
};

/** A promotion of staging into prod by alice that succeeded, with the given changes. */
export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: 'a1',
    action: 'promote',
    entityRef,
    actor: 'user:default/alice',
    fromEnvironment: 'staging',
    toEnvironment: 'prod',
    newTaskDefinition: td('prod', 7).arn,
    previousImages: [],
    newImages: [],
    result: 'succeeded',
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

/** The organisation view of the team fixture's services, owned by team-payments and team-search. */
export const orgStatus: OrgStatus = {
  environments: ['staging', 'prod'],
  total: teamStatus.rows.length,
  offset: 0,
  rows: teamStatus.rows.map((row, i) => ({
    ...row,
    owner:
      i === 1 ? 'group:default/team-search' : 'group:default/team-payments',
  })),
  teams: ['group:default/team-payments', 'group:default/team-search'],
};

/** An unclaimed ECS service, in staging unless `overrides` say otherwise. */
export function unclaimed(
  serviceName: string,
  overrides: Partial<UnclaimedService> = {},
): UnclaimedService {
  const environment = overrides.environment ?? 'staging';
  return {
    environment,
    cluster: `demo-${environment}`,
    serviceName,
    serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/demo-${environment}/${serviceName}`,
    reason: 'no-tag',
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: `arn:aws:ecs:us-east-1:123456789012:task-definition/${serviceName}:3`,
    containers: [{ name: 'app', image: `ghcr.io/acme/${serviceName}:1.0.0` }],
    tags: {},
    suggestedName: serviceName,
    ...overrides,
  };
}

/** Unclaimed services: billing (team-payments) in both, ledger (team-search), orphan (none). */
export const unclaimedServices: UnclaimedServices = {
  total: 4,
  offset: 0,
  items: [
    unclaimed('billing', {
      tags: { team: 'payments' },
      suggestedOwner: 'group:default/team-payments',
    }),
    unclaimed('billing', {
      environment: 'prod',
      tags: { team: 'payments' },
      suggestedOwner: 'group:default/team-payments',
    }),
    unclaimed('ledger', {
      reason: 'unknown-entity',
      entityRefTag: 'component:default/old-ledger',
      tags: { team: 'search' },
      suggestedOwner: 'group:default/team-search',
    }),
    unclaimed('orphan'),
  ],
  counts: {
    environments: { staging: 3, prod: 1 },
    owners: {
      'group:default/team-payments': 2,
      'group:default/team-search': 1,
      none: 1,
    },
  },
};

/** A scaffolder template the catalog has (the pages look templates up by name). */
export function templateEntity(name: string): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default' },
    spec: {},
  };
}

/** alice of team-payments, as the adoption sees her. */
export const alicesAdopter: Adopter = {
  userEntityRef: 'user:default/alice',
  admin: false,
  groups: ['group:default/team-payments'],
};

/** A mock API whose methods are all jest.fn(), with defaults that answer the fixtures. */
export function mockEcsDeployApi(
  overrides: Partial<jest.Mocked<EcsDeployApi>> = {},
): jest.Mocked<EcsDeployApi> {
  return {
    getInfo: jest.fn().mockResolvedValue(info),
    getEntityStatus: jest.fn().mockResolvedValue(entityStatus()),
    getEnvironmentTasks: jest
      .fn()
      .mockResolvedValue({ environment: 'prod', tasks: [] }),
    getPromotionPreview: jest.fn().mockResolvedValue(promotionPreview),
    promote: jest.fn().mockResolvedValue(outcome(8)),
    getRollbackPreview: jest.fn().mockResolvedValue(rollbackPreview),
    rollback: jest.fn().mockResolvedValue(outcome(8)),
    getHistory: jest.fn().mockResolvedValue({ items: [] }),
    getTeamStatus: jest.fn().mockResolvedValue(teamStatus),
    getLogs: jest.fn().mockImplementation(async (_ref, query) => ({
      environment: query.environment,
      lines: [],
    })),
    getOrgStatus: jest.fn().mockResolvedValue(orgStatus),
    checkServiceName: jest.fn().mockImplementation(async (name: string) => ({
      name,
      available: true,
      conflicts: [],
    })),
    getPromotionRequests: jest.fn().mockResolvedValue({ items: [] }),
    requestPromotion: jest.fn(),
    approvePromotionRequest: jest.fn(),
    rejectPromotionRequest: jest.fn(),
    getVerifications: jest
      .fn()
      .mockResolvedValue({ items: [], canReverify: false }),
    resolveVerification: jest.fn(),
    getDeploymentControls: jest
      .fn()
      .mockImplementation(async (_ref, environment: string) => ({
        environment,
        canHold: true,
        canSkipBake: false,
      })),
    controlDeployment: jest.fn(),
    getUnclaimedServices: jest.fn().mockResolvedValue(unclaimedServices),
    getAdopter: jest.fn().mockResolvedValue(alicesAdopter),
    adoptService: jest.fn(),
    previewAdoptionJob: jest.fn(),
    startAdoptionJob: jest.fn(),
    getAdoptionJob: jest.fn(),
    ...overrides,
  };
}

/**
 * usePermission caches decisions per permission and resource ref for the whole test file (SWR),
 * so tests that deny use an entity of their own.
 */
export function restrictedEntity(name = 'payments-api-restricted'): Entity {
  return { ...entity, metadata: { ...entity.metadata, name } };
}

/** An entity status whose prod environment rolls out `revision` with the given state. */
export function prodRollingOut(
  revision: number,
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED',
  rolloutStateReason?: string,
): EntityDeploymentStatus {
  const prod = envStatus('prod');
  const service = prod.service!;
  service.taskDefinition = td('prod', revision);
  service.rolloutState = rolloutState;
  service.rolloutStateReason = rolloutStateReason;
  service.runningCount = rolloutState === 'COMPLETED' ? 2 : 1;
  service.deployments = [
    {
      ...service.deployments[0],
      id: 'ecs-svc/prod-2',
      taskDefinition: td('prod', revision),
      rolloutState,
      rolloutStateReason,
    },
    { ...service.deployments[0], status: 'ACTIVE' },
  ];
  return entityStatus([envStatus('staging'), prod]);
}

/** A ResponseError as the backend would send it. */
export async function responseError(
  status: number,
  name: string,
  message: string,
) {
  const { ResponseError } = await import('@backstage/errors');
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 409 ? 'Conflict' : 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}
