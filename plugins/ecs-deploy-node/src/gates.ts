/*
 * Promotion gates: checks a module adds to every promotion (`ecsDeployGatesExtensionPoint`). The
 * backend evaluates them in the preview, where a block shows as a blocker naming the gate, and on
 * the write path under the target's lock, where a block refuses the promotion (409, audited as
 * rejected naming the gate); every verdict is on the audit row. A gate that throws or does not
 * answer in time blocks.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  ContainerImage,
  HealthState,
  PromotionRequest,
  TaskDefinitionRef,
} from '@deployment-portal/plugin-ecs-deploy-common';

/** One environment of a promotion, as its gates see it. @public */
export interface PromotionGateEnvironment {
  /** The environment's name, as `ecsDeploy.environments` has it (`staging`). */
  name: string;
  /** The ECS service the entity runs there. */
  serviceName: string;
  health: HealthState;
  /** The task definition revision it runs (absent when the service is not deployed). */
  taskDefinition?: TaskDefinitionRef;
  images: ContainerImage[];
}

/** A container whose image the promotion changes. @public */
export interface PromotionGateImageChange {
  container: string;
  /** The target's image now. */
  from?: string;
  /** The image it gets (pinned to a digest on the write path when ECS knows it). */
  to: string;
}

/** The promotion path's settings, as far as a gate may care. @public */
export interface PromotionGatePath {
  from: string;
  to: string;
  requireHealthySource: boolean;
  /** Soak time (0: none). */
  minSourceAgeMinutes: number;
  /** A direct promotion is refused: the path (or the permission policy) needs an approved request. */
  approvalRequired: boolean;
}

/** Everything a gate decides on. @public */
export interface PromotionGateContext {
  /**
   * `preview`: the caller looks before confirming (nothing is locked); `write`: the promotion is
   * being made, under the target's lock, and a block refuses it.
   */
  phase: 'preview' | 'write';
  entity: Entity;
  entityRef: string;
  /** Who promotes: the caller, or for an approved request its approver. */
  caller: { userEntityRef: string; credentials: BackstageCredentials };
  source: PromotionGateEnvironment;
  target: PromotionGateEnvironment;
  /** What the promotion changes. */
  changes: PromotionGateImageChange[];
  path: PromotionGatePath;
  /** The promotion carries out an approved promotion request. */
  approved: boolean;
  /** That request (its requester, reason and change ticket). */
  request?: PromotionRequest;
  /** The reason the caller gives (in a preview: what the caller says they will give). */
  reason?: string;
  /** The change ticket the promotion carries out. */
  changeTicket?: string;
  /** Aborted when the gate's time is up: pass it on to what the gate calls. */
  signal: AbortSignal;
}

/**
 * What a gate says: `pass`, or `block` with a message saying why and what to do. Warnings are
 * shown in the preview and recorded, without refusing.
 *
 * @public
 */
export type PromotionGateVerdict =
  | { result: 'pass'; message?: string; warnings?: string[] }
  | { result: 'block'; message: string; warnings?: string[] };

/** A check every promotion must pass, added by a module. @public */
export interface PromotionGate {
  /**
   * Names the gate in previews, refusals and audit rows: lower-case letters, digits and dashes
   * (`change-ticket`), unique among the gates.
   */
  name: string;
  evaluate(context: PromotionGateContext): Promise<PromotionGateVerdict>;
}
