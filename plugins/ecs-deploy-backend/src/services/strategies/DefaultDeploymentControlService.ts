import {
  ContinueServiceDeploymentCommand,
  ServiceDeployment,
  StopServiceDeploymentCommand,
} from '@aws-sdk/client-ecs';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DeploymentControlOutcome,
  DeploymentHold,
  DeploymentHoldRequest,
  ecsDeployHoldDeploymentPermission,
  ecsDeploySkipBakePermission,
  getEcsServiceName,
  SkipBakeRequest,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { EcsDeployConfig, EnvironmentConfig } from '../../config';
import type { DeploymentGateStore } from '../../database/DeploymentGateStore';
import type { AwsClients } from '../aws/AwsClients';
import type { Caller } from '../catalog/types';
import { entityEnvironment } from '../environments';
import type { DeploymentNotifier } from '../notify/types';
import { entityPermissionRefusal } from '../promotion/permission';
import { readSide, requireOwnership } from '../promotion/sides';
import type {
  AuditAttempt,
  AuditTrail,
  DeploymentLock,
} from '../promotion/types';
import { runWrite } from '../promotion/write';
import { ecsServiceRef } from '../serviceRef';
import type { ServiceStateStore } from '../status/types';
import { ControlAction, controlRefusal } from './controlGuards';
import { bakeUnderWay, deploymentProgress, gateWaiting } from './progress';
import type { DeploymentControlService, DeploymentReader } from './types';

/** What a control prepared under the lock: the deployment, and its hold. */
interface Prepared {
  deployment: ServiceDeployment;
  arn: string;
  hold?: DeploymentHold;
}

const VERB: Record<ControlAction, string> = {
  hold: 'hold',
  continue: 'continuation',
  abort: 'abort',
  'skip-bake': 'skipped bake',
};

/**
 * Hold, continue, abort and skip a bake (see hooks.ts for how ECS is made to wait), each through the
 * write envelope (write.ts): permission (owners and admins hold, continue and abort; admins skip a
 * bake) → the ECS service's lock → fresh read, proof of ownership, guards (409) → audit →
 * the change (the hold row, `ContinueServiceDeployment`) → audit finish; then the cached
 * progress is dropped and open pages are told.
 */
export class DefaultDeploymentControlService
  implements DeploymentControlService
{
  constructor(
    private readonly options: {
      settings: EcsDeployConfig;
      store: ServiceStateStore;
      audit: AuditTrail;
      lock: DeploymentLock;
      permissions: PermissionsService;
      gates: DeploymentGateStore;
      deployments: DeploymentReader;
      clients: AwsClients;
      notifier: DeploymentNotifier;
      now?: () => Date;
    },
  ) {}

  private target(entity: Entity, environment: string) {
    const env = entityEnvironment(this.options.settings, entity, environment);
    return { env, serviceName: getEcsServiceName(entity, env.name) };
  }

  private async mayHold(entity: Entity, caller: Caller) {
    const refusal = await entityPermissionRefusal(
      this.options.permissions,
      ecsDeployHoldDeploymentPermission,
      entity,
      caller,
    );
    return refusal && new NotAllowedError(refusal.message);
  }

  private async maySkipBake(caller: Caller) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: ecsDeploySkipBakePermission }],
      { credentials: caller.credentials },
    );
    return decision.result === AuthorizeResult.ALLOW
      ? undefined
      : new NotAllowedError(
          `${caller.userEntityRef} may not skip a bake: only the admin groups may`,
        );
  }

  async controls(entity: Entity, environment: string, caller: Caller) {
    const { env, serviceName } = this.target(entity, environment);
    const side = await readSide(this.options.store, entity, env, false);
    const progress = await this.options.deployments.progress(
      env,
      serviceName,
      side.state.summary,
    );
    return {
      environment,
      progress,
      canHold: !(await this.mayHold(entity, caller)),
      canSkipBake: !(await this.maySkipBake(caller)),
    };
  }

  hold(entity: Entity, request: DeploymentHoldRequest, caller: Caller) {
    return this.control('hold', entity, request, caller, async p => {
      const { env, serviceName } = this.target(entity, request.environment);
      const hold = {
        by: caller.userEntityRef,
        at: (this.options.now?.() ?? new Date()).toISOString(),
        reason: request.reason,
      };
      const service = { environment: env.name, serviceName };
      if (!(await this.options.gates.hold(p.arn, service, hold))) {
        throw new ConflictError(
          `The deployment of ${serviceName} in ${env.name} is already held`,
        );
      }
      return `Held the deployment of ${serviceName} in ${env.name} at ${percent(
        p.deployment,
      )} of the traffic: it waits before its next step until continued`;
    });
  }

  continue(entity: Entity, request: DeploymentHoldRequest, caller: Caller) {
    return this.control('continue', entity, request, caller, async p => {
      const { env, serviceName } = this.target(entity, request.environment);
      await this.options.gates.release(p.arn);
      const gate = gateWaiting(p.deployment);
      if (gate && !bakeUnderWay(p.deployment)) {
        await this.continueHook(env, p.arn, gate.hookId);
      }
      return `Continued the deployment of ${serviceName} in ${
        env.name
      } at ${percent(p.deployment)} of the traffic (held by ${p.hold?.by})`;
    });
  }

  abort(entity: Entity, request: DeploymentHoldRequest, caller: Caller) {
    return this.control('abort', entity, request, caller, async p => {
      const { env, serviceName } = this.target(entity, request.environment);
      const ecs = await this.options.clients.ecs(env);
      await ecs.send(
        new StopServiceDeploymentCommand({
          serviceDeploymentArn: p.arn,
          stopType: 'ROLLBACK',
        }),
      );
      await this.options.gates.release(p.arn);
      return `Aborted the deployment of ${serviceName} in ${
        env.name
      } at ${percent(p.deployment)} of the traffic${
        p.hold ? ` (held by ${p.hold.by})` : ''
      }: ECS rolls it back`;
    });
  }

  skipBake(entity: Entity, request: SkipBakeRequest, caller: Caller) {
    return this.control('skip-bake', entity, request, caller, async p => {
      const { env, serviceName } = this.target(entity, request.environment);
      const bake = bakeUnderWay(p.deployment)!;
      await this.continueHook(env, p.arn, bake.hookId);
      const left = bake.expiresAt
        ? ` with ${Math.max(
            0,
            Math.round((bake.expiresAt.getTime() - Date.now()) / 1000),
          )} s left`
        : '';
      return `Skipped the bake of ${serviceName} in ${env.name} at ${percent(
        p.deployment,
      )} of the traffic${left}`;
    });
  }

  /** ContinueServiceDeployment; a hook that stopped waiting meanwhile (409 from ECS) is fine. */
  private async continueHook(
    env: EnvironmentConfig,
    serviceDeploymentArn: string,
    hookId: string,
  ) {
    const ecs = await this.options.clients.ecs(env);
    await ecs
      .send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn,
          hookId,
          action: 'CONTINUE',
        }),
      )
      .catch(error => {
        if ((error as Error).name !== 'ConflictException') throw error;
      });
  }

  /** The write envelope of one control. */
  private async control(
    action: ControlAction,
    entity: Entity,
    request: DeploymentHoldRequest | SkipBakeRequest,
    caller: Caller,
    execute: (prepared: Prepared) => Promise<string>,
  ): Promise<DeploymentControlOutcome> {
    const { settings, store, audit, lock, gates, deployments } = this.options;
    const { env, serviceName } = this.target(entity, request.environment);
    const where = `${serviceName} in ${env.name}`;
    const attempt: AuditAttempt = {
      action,
      entityRef: stringifyEntityRef(entity),
      actor: caller.userEntityRef,
      toEnvironment: env.name,
      targetService: ecsServiceRef(env, serviceName),
      reason: request.reason,
    };
    const record = await runWrite(
      { audit, lock, deadlineMs: settings.writeDeadlineMs },
      {
        attempt,
        service: attempt.targetService!,
        what: `The ${VERB[action]} of the deployment of ${where}`,
        authorize: async () =>
          action === 'skip-bake'
            ? this.maySkipBake(caller)
            : this.mayHold(entity, caller),
        prepare: async signal => {
          const side = await readSide(store, entity, env, true);
          attempt.ownershipProof = requireOwnership(settings, entity, side);
          const deployment = await deployments.current(
            env,
            serviceName,
            signal,
          );
          const arn = deployment?.serviceDeploymentArn;
          const hold = arn ? await gates.holdOf(arn) : undefined;
          const refusal = controlRefusal({
            action,
            where,
            deployment,
            hold,
            expected: request.expectedServiceDeployment,
          });
          if (refusal) throw new ConflictError(refusal);
          return { deployment: deployment!, arn: arn!, hold };
        },
        start: async () => ({
          finish: (message: string) => audit.note(attempt, message),
          fail: async error => {
            await audit.refuse(attempt, 'failed', error);
          },
        }),
        execute: prepared => execute(prepared),
      },
    );
    await deployments.invalidate(env, serviceName);
    await this.options.notifier.publish({
      subject: 'deployment',
      kind: action,
      record,
      entity,
    });
    const now = await deployments
      .current(env, serviceName)
      .catch(() => undefined);
    return {
      environment: env.name,
      audit: record,
      progress:
        now &&
        deploymentProgress(now, await gates.holdOf(now.serviceDeploymentArn!)),
    };
  }
}

/** `20 %`: the new revision's share of production traffic. */
function percent(deployment: ServiceDeployment) {
  return `${
    deployment.targetServiceRevision?.requestedProductionTrafficWeight ?? 0
  } %`;
}
