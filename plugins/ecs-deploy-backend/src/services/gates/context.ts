/*
 * The context a promotion's gates decide on, from what the preview or the write read: both sides,
 * the changes, the path (with the approval the policy or the config asks for), the caller's input.
 */
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { PromotionRequest } from '@deployment-portal/plugin-ecs-deploy-common';
import type {
  PromotionGateContext,
  PromotionGateEnvironment,
} from '@deployment-portal/plugin-ecs-deploy-node';
import type { PromotionPathConfig } from '../../config';
import type { Caller } from '../catalog/types';
import { imageChanges, imagesByContainer, Side } from '../promotion/guards';
import { deriveHealth } from '../status/health';

function environment(side: Side): PromotionGateEnvironment {
  const summary = side.state.summary;
  return {
    name: side.env.name,
    serviceName: side.serviceName,
    health: deriveHealth(summary).health,
    taskDefinition: summary?.taskDefinition,
    images: summary?.images ?? [],
  };
}

export function gateContext(input: {
  phase: PromotionGateContext['phase'];
  entity: Entity;
  caller: Caller;
  /** The path, with the approval it needs now. */
  path: PromotionPathConfig;
  source: Side;
  target: Side;
  /** The source's images pinned to digests (default: as its task definition names them). */
  sourceImages?: Map<string, string>;
  /** The approved request the promotion carries out. */
  request?: PromotionRequest;
  reason?: string;
  changeTicket?: string;
}): Omit<PromotionGateContext, 'signal'> {
  const { path, source, target, caller, request } = input;
  return {
    phase: input.phase,
    entity: input.entity,
    entityRef: stringifyEntityRef(input.entity),
    caller: {
      userEntityRef: caller.userEntityRef,
      credentials: caller.credentials,
    },
    source: environment(source),
    target: environment(target),
    changes: imageChanges(
      input.sourceImages ?? imagesByContainer(source),
      target,
    ),
    path: {
      from: path.from,
      to: path.to,
      requireHealthySource: path.requireHealthySource,
      minSourceAgeMinutes: path.minSourceAgeMinutes,
      approvalRequired: path.approval !== undefined,
    },
    approved: request !== undefined,
    request,
    reason: input.reason,
    changeTicket: input.changeTicket ?? request?.changeTicket,
  };
}
