import {
  ContainerDefinition,
  DeregisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommandInput,
  TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ActionOutcome,
  AuditRecord,
  ContainerImage,
  ecsDeployPromotePermission,
  ecsDeployRollbackPermission,
  getEcsServiceName,
  getEntityEnvironments,
  GuardResult,
  PromoteRequest,
  PromotionPreview,
  RollbackPreview,
  RollbackRequest,
  TaskDefinitionRef,
} from '@internal/plugin-ecs-deploy-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomUUID } from 'node:crypto';
import {
  EcsDeployConfig,
  EnvironmentConfig,
  PromotionPathConfig,
} from '../config';
import { EcsDeployStore } from '../database/EcsDeployStore';
import { AwsClients } from './AwsClients';
import { EcsReader } from './EcsReader';
import { activeFreezeWindows } from './freezeWindows';
import { deriveHealth, imagesOf, parseTaskDefinitionRef } from './health';
import { StatusService, ServiceState } from './StatusService';

/** Who acts, as the router resolved it. */
export interface Caller {
  credentials: BackstageCredentials;
  userEntityRef: string;
}

interface Side {
  env: EnvironmentConfig;
  serviceName: string;
  state: ServiceState;
}

/** Best-effort clean-up and look-ups: a failure yields undefined. */
async function quietly<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

/** A guard refusal: a 409 whose message says why; recorded in the audit as `rejected`. */
class GuardError extends ConflictError {
  constructor(readonly guard: GuardResult) {
    super(guard.message);
  }
}

const fields = (
  td: TaskDefinition,
): Omit<RegisterTaskDefinitionCommandInput, 'containerDefinitions'> => ({
  family: td.family!,
  taskRoleArn: td.taskRoleArn,
  executionRoleArn: td.executionRoleArn,
  networkMode: td.networkMode,
  volumes: td.volumes,
  placementConstraints: td.placementConstraints,
  requiresCompatibilities: td.requiresCompatibilities,
  cpu: td.cpu,
  memory: td.memory,
  pidMode: td.pidMode,
  ipcMode: td.ipcMode,
  proxyConfiguration: td.proxyConfiguration,
  inferenceAccelerators: td.inferenceAccelerators,
  ephemeralStorage: td.ephemeralStorage,
  runtimePlatform: td.runtimePlatform,
});

/**
 * Promotion (roll the images running in one environment out to the next) and rollback, with
 * guards, permissions, a database lock shared by all replicas, and an audit trail.
 *
 * The Terraform contract (terraform-modules/ecs-service/README.md): a promotion registers a new
 * revision of the target's task definition with only the images changed, writes each image to
 * the SSM parameter named by the service's `ecs-deploy:image-parameter-prefix` tag, and updates
 * the service. Terraform reads the image from that parameter and tracks the latest revision, so
 * its next plan does not revert the promotion.
 */
export class PromotionService {
  constructor(
    private readonly options: {
      config: EcsDeployConfig;
      status: StatusService;
      reader: EcsReader;
      clients: AwsClients;
      store: EcsDeployStore;
      permissions: PermissionsService;
      auditor: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** The configured path from → to, and both environments, checked for this entity. */
  private path(
    entity: Entity,
    from: string,
    to: string,
  ): {
    path: PromotionPathConfig;
    source: EnvironmentConfig;
    target: EnvironmentConfig;
  } {
    if (from === to) {
      throw new InputError(
        `'from' and 'to' are both '${from}'; a promotion needs two environments`,
      );
    }
    const path = this.options.config.promotionPaths.find(
      p => p.from === from && p.to === to,
    );
    if (!path) {
      const allowed = this.options.config.promotionPaths
        .map(p => `${p.from}→${p.to}`)
        .join(', ');
      throw new InputError(
        `No promotion path from '${from}' to '${to}'; configured: ${
          allowed || 'none'
        }`,
      );
    }
    return {
      path,
      source: this.entityEnvironment(entity, from),
      target: this.entityEnvironment(entity, to),
    };
  }

  private entityEnvironment(entity: Entity, name: string): EnvironmentConfig {
    const env = this.options.status.environment(name);
    if (!env) {
      const known = this.options.config.environments
        .map(e => e.name)
        .join(', ');
      throw new InputError(`Unknown environment '${name}'; known: ${known}`);
    }
    const names = getEntityEnvironments(
      entity,
      this.options.config.environments.map(e => e.name),
    );
    if (!names.includes(name)) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} is not deployed to '${name}' (see its ecs-deploy.io/environments annotation)`,
      );
    }
    return env;
  }

  private async side(
    entity: Entity,
    env: EnvironmentConfig,
    fresh: boolean,
  ): Promise<Side> {
    const serviceName = getEcsServiceName(entity, env.name);
    const result = (
      await this.options.status.readStates(env, [serviceName], { fresh })
    ).get(serviceName)!;
    if (!result.state || result.stale) {
      throw new ConflictError(
        `Cannot read ${env.name}: ${
          result.error?.message ?? 'no answer from ECS'
        }`,
      );
    }
    return { env, serviceName, state: result.state };
  }

  private freezeGuard(environment: string): GuardResult | undefined {
    const [w] = activeFreezeWindows(
      this.options.config.freezeWindows,
      this.now(),
      environment,
    );
    return (
      w && {
        code: 'freeze-window',
        message: `${environment} is frozen by '${w.name}' until ${w.endsAt}${
          w.reason ? ` (${w.reason})` : ''
        }`,
      }
    );
  }

  private lockKey(entity: Entity, environment: string) {
    return `${stringifyEntityRef(entity)}|${environment}`;
  }

  private promotionGuards(
    path: PromotionPathConfig,
    source: Side,
    target: Side,
    expectedTarget?: string,
  ): {
    guards: GuardResult[];
    changes: Array<{ container: string; from?: string; to: string }>;
  } {
    const guards: GuardResult[] = [];
    const sourceSummary = source.state.summary;
    const targetSummary = target.state.summary;
    if (!sourceSummary || !targetSummary) {
      const which = !sourceSummary ? source : target;
      guards.push({
        code: 'not-deployed',
        message: `${which.serviceName} is not deployed in ${which.env.name}`,
      });
      return { guards, changes: [] };
    }
    if (path.requireHealthySource) {
      const { health } = deriveHealth(sourceSummary);
      if (health === 'progressing') {
        guards.push({
          code: 'source-rolling-out',
          message: `${source.env.name} is still rolling out (${
            sourceSummary.rolloutStateReason ?? 'deployment in progress'
          }); wait until it completes`,
        });
      } else if (health !== 'healthy') {
        guards.push({
          code: 'source-not-healthy',
          message: `${source.env.name} is ${health}; promote only a healthy ${source.env.name}`,
        });
      }
    }
    if (expectedTarget && expectedTarget !== targetSummary.taskDefinition.arn) {
      guards.push({
        code: 'target-changed',
        message: `${target.env.name} changed since you looked: it now runs ${
          targetSummary.taskDefinition.family
        }:${targetSummary.taskDefinition.revision}, you saw ${expectedTarget
          .split('/')
          .pop()}. Review again.`,
      });
    }
    const sourceImages = new Map(
      sourceSummary.images.map(i => [i.container, i.image]),
    );
    const changes = targetSummary.images
      .filter(
        i =>
          sourceImages.has(i.container) &&
          sourceImages.get(i.container) !== i.image,
      )
      .map(i => ({
        container: i.container,
        from: i.image,
        to: sourceImages.get(i.container)!,
      }));
    const shared = targetSummary.images.filter(i =>
      sourceImages.has(i.container),
    );
    if (shared.length === 0) {
      guards.push({
        code: 'already-running',
        message: `No container of ${target.env.name} has a namesake in ${source.env.name}; nothing to promote`,
      });
    } else if (changes.length === 0) {
      guards.push({
        code: 'already-running',
        message: `${target.env.name} already runs ${
          source.env.name
        }'s images (${shared.map(i => i.image).join(', ')})`,
      });
    }
    return { guards, changes };
  }

  private async authorize(
    permission: typeof ecsDeployPromotePermission,
    entity: Entity,
    caller: Caller,
  ) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission, resourceRef: stringifyEntityRef(entity) }],
      { credentials: caller.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async previewPromotion(
    entity: Entity,
    from: string,
    to: string,
  ): Promise<PromotionPreview> {
    const { path, ...envs } = this.path(entity, from, to);
    const [source, target] = await Promise.all([
      this.side(entity, envs.source, false),
      this.side(entity, envs.target, false),
    ]);
    const { guards, changes } = this.promotionGuards(path, source, target);
    const freeze = this.freezeGuard(to);
    if (freeze) guards.unshift(freeze);
    if (await this.options.store.isLocked(this.lockKey(entity, to))) {
      guards.push({
        code: 'in-flight',
        message: `Another promotion or rollback of ${to} is in progress`,
      });
    }
    const view = (s: Side) =>
      s.state.summary && {
        taskDefinition: s.state.summary.taskDefinition,
        images: s.state.summary.images,
      };
    return {
      entityRef: stringifyEntityRef(entity),
      from,
      to,
      source: view(source),
      target: view(target),
      changes,
      blockers: guards,
      allowed: guards.length === 0,
    };
  }

  /**
   * Runs `act` under the audit trail: denied and rejected attempts get one row; allowed ones a
   * `started` row finished as `succeeded` or `failed`. Also reported to the auditor service.
   */
  private async audited(
    base: Omit<
      AuditRecord,
      'id' | 'createdAt' | 'result' | 'previousImages' | 'newImages'
    > & { previousImages?: ContainerImage[] },
    permission: typeof ecsDeployPromotePermission,
    entity: Entity,
    caller: Caller,
    act: (
      started: (patch: Partial<AuditRecord>) => Promise<AuditRecord>,
    ) => Promise<Omit<ActionOutcome, 'audit'>>,
  ): Promise<ActionOutcome> {
    const { store, auditor, logger } = this.options;
    const event = await auditor.createEvent({
      eventId: base.action,
      severityLevel: 'high',
      meta: {
        entityRef: base.entityRef,
        from: base.fromEnvironment ?? null,
        to: base.toEnvironment,
        reason: base.reason ?? null,
      },
    });
    const record = (
      result: AuditRecord['result'],
      message?: string,
      extra: Partial<AuditRecord> = {},
    ) =>
      store.insertAudit({
        previousImages: [],
        newImages: [],
        ...base,
        ...extra,
        result,
        message,
        finishedAt: result === 'started' ? undefined : this.now().toISOString(),
      });

    if (!(await this.authorize(permission, entity, caller))) {
      const message = `${caller.userEntityRef} may not ${base.action} ${base.entityRef} (only its owners and admins may)`;
      await record('denied', message);
      await event.fail({ error: new NotAllowedError(message) });
      throw new NotAllowedError(message);
    }
    let startedRow: AuditRecord | undefined;
    try {
      const outcome = await act(async patch => {
        startedRow = await record('started', undefined, patch);
        return startedRow;
      });
      const { taskDefinition, images } = outcome;
      const message = `${base.toEnvironment} now runs ${taskDefinition.family}:${taskDefinition.revision}`;
      await store.finishAudit(startedRow!.id, {
        result: 'succeeded',
        newTaskDefinition: taskDefinition.arn,
        newImages: images,
        message,
      });
      await event.success({ meta: { newTaskDefinition: taskDefinition.arn } });
      return {
        ...outcome,
        audit: {
          ...startedRow!,
          result: 'succeeded',
          newTaskDefinition: taskDefinition.arn,
          newImages: images,
          message,
          finishedAt: this.now().toISOString(),
        },
      };
    } catch (error) {
      const e = error as Error;
      if (startedRow) {
        await store.finishAudit(startedRow.id, {
          result: 'failed',
          message: e.message,
        });
        logger.error(
          `${base.action} of ${base.entityRef} to ${base.toEnvironment} failed: ${e.message}`,
          { entityRef: base.entityRef },
        );
      } else {
        await record(
          e instanceof ConflictError ? 'rejected' : 'failed',
          e.message,
        );
      }
      await event.fail({ error: e });
      throw error;
    }
  }

  private async withLock<T>(
    entity: Entity,
    environment: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    const { store, config } = this.options;
    const key = this.lockKey(entity, environment);
    const owner = randomUUID();
    if (!(await store.tryLock(key, owner, config.lockTimeoutMs))) {
      throw new GuardError({
        code: 'in-flight',
        message: `Another promotion or rollback of ${stringifyEntityRef(
          entity,
        )} in ${environment} is in progress; try again when it has finished`,
      });
    }
    try {
      return await fn();
    } finally {
      await store.unlock(key, owner);
    }
  }

  async promote(
    entity: Entity,
    request: PromoteRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const { from, to } = request;
    const { path, ...envs } = this.path(entity, from, to);
    const entityRef = stringifyEntityRef(entity);
    return this.audited(
      {
        action: 'promote',
        entityRef,
        actor: caller.userEntityRef,
        fromEnvironment: from,
        toEnvironment: to,
        reason: request.reason,
      },
      ecsDeployPromotePermission,
      entity,
      caller,
      async started => {
        const freeze = this.freezeGuard(to);
        if (freeze) throw new GuardError(freeze);
        return this.withLock(entity, to, async () => {
          const [source, target] = await Promise.all([
            this.side(entity, envs.source, true),
            this.side(entity, envs.target, true),
          ]);
          const { guards } = this.promotionGuards(
            path,
            source,
            target,
            request.expectedTargetTaskDefinition,
          );
          if (guards.length > 0) throw new GuardError(guards[0]);
          const sourceImages = await this.exactImages(source);
          const current = target.state.summary!;
          await started({
            previousTaskDefinition: current.taskDefinition.arn,
            previousImages: current.images,
          });
          this.options.logger.info('Promotion started', {
            entityRef,
            from,
            to,
            taskDefinition: current.taskDefinition.arn,
          });
          return this.rollOut(entityRef, target, sourceImages, 'promote');
        });
      },
    );
  }

  /** The source's images, pinned to the digest its running tasks resolved, when ECS knows it. */
  private async exactImages(source: Side): Promise<Map<string, string>> {
    const images = new Map(
      source.state.summary!.images.map(i => [i.container, i.image]),
    );
    const tasks = await this.options.reader
      .readTasks(source.env, source.serviceName, { running: true })
      .catch(() => []);
    const current = source.state.summary!.taskDefinition.arn;
    for (const [container, image] of images) {
      if (image.includes('@')) continue;
      const digests = new Set(
        tasks
          .filter(t => t.taskDefinitionArn === current)
          .flatMap(t => t.containers ?? [])
          .filter(c => c.name === container && c.imageDigest)
          .map(c => c.imageDigest!),
      );
      if (digests.size === 1) {
        const repo = image.replace(/:[^:/]+$/, '');
        images.set(container, `${repo}@${[...digests][0]}`);
      }
    }
    return images;
  }

  /**
   * Registers the target's next revision with `images` changed, writes the image parameters and
   * updates the service. Undoes the registration and the parameters when a later step fails, so
   * nothing half-applied blocks the next attempt or shows up in Terraform.
   */
  private async rollOut(
    entityRef: string,
    target: Side,
    images: Map<string, string>,
    action: 'promote' | 'rollback',
    existingRevision?: TaskDefinitionRef,
  ): Promise<Omit<ActionOutcome, 'audit'>> {
    const { clients, reader, status, logger } = this.options;
    const ecs = await clients.ecs(target.env);
    const current = target.state.summary!;
    let newTd: TaskDefinition;
    let registered = false;
    if (existingRevision) {
      newTd = await reader.taskDefinition(target.env, existingRevision.arn);
    } else {
      const { taskDefinition: td, tags } = await reader.taskDefinitionWithTags(
        target.env,
        current.taskDefinition.arn,
      );
      const containerDefinitions: ContainerDefinition[] = (
        td.containerDefinitions ?? []
      ).map(c =>
        images.has(c.name!) ? { ...c, image: images.get(c.name!) } : c,
      );
      try {
        const out = await ecs.send(
          new RegisterTaskDefinitionCommand({
            ...fields(td),
            containerDefinitions,
            tags: tags.length ? tags : undefined,
          }),
        );
        newTd = out.taskDefinition!;
      } catch (error) {
        const e = error as Error;
        throw new ServiceUnavailableError(
          `AWS refused to register the next revision of ${td.family} (${e.name}: ${e.message}); nothing was changed`,
        );
      }
      registered = true;
    }
    const newRef = parseTaskDefinitionRef(newTd.taskDefinitionArn!, newTd);
    const written: Array<{ name: string; previous?: string }> = [];
    const ssm = await clients.ssm(target.env);
    try {
      if (target.state.imageParameterPrefix) {
        for (const c of newTd.containerDefinitions ?? []) {
          if (!images.has(c.name!)) continue;
          const name = `${target.state.imageParameterPrefix}/${c.name}`;
          const previous = await quietly(
            async () =>
              (
                await ssm.send(new GetParameterCommand({ Name: name }))
              ).Parameter?.Value,
          );
          await ssm.send(
            new PutParameterCommand({
              Name: name,
              Value: c.image!,
              Type: 'String',
              Overwrite: true,
            }),
          );
          written.push({ name, previous });
        }
      }
      await ecs.send(
        new UpdateServiceCommand({
          cluster: target.env.cluster,
          service: target.serviceName,
          taskDefinition: newTd.taskDefinitionArn,
        }),
      );
    } catch (error) {
      logger.warn(
        `${action} of ${entityRef} in ${target.env.name} failed after registering ${newRef.family}:${newRef.revision}; undoing`,
        { entityRef },
      );
      for (const w of written.reverse()) {
        if (w.previous !== undefined) {
          await quietly(() =>
            ssm.send(
              new PutParameterCommand({
                Name: w.name,
                Value: w.previous!,
                Type: 'String',
                Overwrite: true,
              }),
            ),
          );
        }
      }
      if (registered) {
        await quietly(() =>
          ecs.send(
            new DeregisterTaskDefinitionCommand({
              taskDefinition: newTd.taskDefinitionArn,
            }),
          ),
        );
      }
      const e = error as Error;
      throw new ServiceUnavailableError(
        `AWS refused the ${action} of ${entityRef} in ${target.env.name} (${e.name}: ${e.message}); nothing was changed`,
      );
    } finally {
      await status.invalidate(target.env, target.serviceName);
    }
    logger.info(
      `${action === 'promote' ? 'Promotion' : 'Rollback'} succeeded`,
      { entityRef, environment: target.env.name, taskDefinition: newRef.arn },
    );
    return { taskDefinition: newRef, images: imagesOf(newTd) };
  }

  private async rollbackTarget(entity: Entity, target: Side) {
    const current = target.state.summary;
    if (!current)
      return {
        guard: {
          code: 'not-deployed',
          message: `${target.serviceName} is not deployed in ${target.env.name}`,
        } as GuardResult,
      };
    const record = await this.options.store.findSucceededInto(
      stringifyEntityRef(entity),
      target.env.name,
      current.taskDefinition.arn,
    );
    if (!record?.previousTaskDefinition) {
      return {
        guard: {
          code: 'no-previous-revision',
          message: `No promotion or rollback into ${target.env.name} recorded for ${current.taskDefinition.family}:${current.taskDefinition.revision}; nothing to roll back to`,
        } as GuardResult,
      };
    }
    const previous = await this.options.reader.taskDefinition(
      target.env,
      record.previousTaskDefinition,
    );
    return { previous };
  }

  async previewRollback(
    entity: Entity,
    environment: string,
  ): Promise<RollbackPreview> {
    const env = this.entityEnvironment(entity, environment);
    const target = await this.side(entity, env, false);
    const blockers: GuardResult[] = [];
    const freeze = this.freezeGuard(environment);
    if (freeze) blockers.push(freeze);
    const { guard, previous } = await this.rollbackTarget(entity, target);
    if (guard) blockers.push(guard);
    if (await this.options.store.isLocked(this.lockKey(entity, environment))) {
      blockers.push({
        code: 'in-flight',
        message: `Another promotion or rollback of ${environment} is in progress`,
      });
    }
    const summary = target.state.summary;
    return {
      entityRef: stringifyEntityRef(entity),
      environment,
      current: summary && {
        taskDefinition: summary.taskDefinition,
        images: summary.images,
      },
      previous: previous && {
        taskDefinition: parseTaskDefinitionRef(
          previous.taskDefinitionArn!,
          previous,
        ),
        images: imagesOf(previous),
      },
      blockers,
      allowed: blockers.length === 0,
    };
  }

  async rollback(
    entity: Entity,
    request: RollbackRequest,
    caller: Caller,
  ): Promise<ActionOutcome> {
    const { environment } = request;
    const env = this.entityEnvironment(entity, environment);
    const entityRef = stringifyEntityRef(entity);
    return this.audited(
      {
        action: 'rollback',
        entityRef,
        actor: caller.userEntityRef,
        toEnvironment: environment,
        reason: request.reason,
      },
      ecsDeployRollbackPermission,
      entity,
      caller,
      async started => {
        const freeze = this.freezeGuard(environment);
        if (freeze) throw new GuardError(freeze);
        return this.withLock(entity, environment, async () => {
          const target = await this.side(entity, env, true);
          const current = target.state.summary;
          if (
            current &&
            request.expectedTaskDefinition &&
            request.expectedTaskDefinition !== current.taskDefinition.arn
          ) {
            throw new GuardError({
              code: 'target-changed',
              message: `${environment} changed since you looked: it now runs ${current.taskDefinition.family}:${current.taskDefinition.revision}. Review again.`,
            });
          }
          const { guard, previous } = await this.rollbackTarget(entity, target);
          if (guard) throw new GuardError(guard);
          const previousRef = parseTaskDefinitionRef(
            previous!.taskDefinitionArn!,
            previous,
          );
          await started({
            previousTaskDefinition: current!.taskDefinition.arn,
            previousImages: current!.images,
          });
          this.options.logger.info('Rollback started', {
            entityRef,
            environment,
            to: previousRef.arn,
          });
          const images = new Map(
            imagesOf(previous).map(i => [i.container, i.image]),
          );
          return this.rollOut(
            entityRef,
            target,
            images,
            'rollback',
            previousRef,
          );
        });
      },
    );
  }

  history(entity: Entity, limit: number) {
    return this.options.store.listAudit(stringifyEntityRef(entity), limit);
  }
}
