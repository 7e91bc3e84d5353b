/*
 * The promotion gates a module added (ecsDeployGatesExtensionPoint), as the promotion domain uses
 * them: evaluated together, each within its time, into verdicts (for the audit row), blockers and
 * warnings (for the preview).
 */
import type {
  GateVerdict,
  GuardResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type { PromotionGateContext } from '@deployment-portal/plugin-ecs-deploy-node';

/** What the gates said about one promotion. */
export interface GateEvaluation {
  /** One per gate, in the order they were added. */
  verdicts: GateVerdict[];
  /** A `gate` guard per blocking gate, naming it. */
  blockers: GuardResult[];
  /** A `gate` guard per warning. */
  warnings: GuardResult[];
}

/** Evaluates every gate on a promotion. */
export interface PromotionGates {
  /** Whether any gate is installed (none: nothing is evaluated or recorded). */
  readonly names: string[];
  evaluate(
    context: Omit<PromotionGateContext, 'signal'>,
    signal?: AbortSignal,
  ): Promise<GateEvaluation>;
}
