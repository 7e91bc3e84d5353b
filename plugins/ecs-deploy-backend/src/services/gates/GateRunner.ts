/*
 * Runs the gates of a promotion at once, each bounded by the gate timeout (and the caller's
 * signal, the write deadline): a gate that throws, or does not answer in time, blocks with a
 * message naming it, so that a broken or slow ITSM never lets a promotion through unchecked.
 */
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  GateVerdict,
  GuardResult,
} from '@deployment-portal/plugin-ecs-deploy-common';
import type {
  PromotionGate,
  PromotionGateContext,
  PromotionGateVerdict,
} from '@deployment-portal/plugin-ecs-deploy-node';
import type { GateEvaluation, PromotionGates } from './types';

const GATE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Resolves with what `promise` resolves to, or rejects once `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', abort);
    });
  });
}

export class GateRunner implements PromotionGates {
  readonly names: string[];

  constructor(
    private readonly gates: PromotionGate[],
    private readonly options: { timeoutMs: number; logger: LoggerService },
  ) {
    this.names = gates.map(g => g.name);
    for (const [i, name] of this.names.entries()) {
      if (!GATE_NAME.test(name)) {
        throw new InputError(
          `Promotion gate name '${name}' must be lower-case letters, digits and dashes`,
        );
      }
      if (this.names.indexOf(name) !== i) {
        throw new InputError(`Two promotion gates are named '${name}'`);
      }
    }
  }

  async evaluate(
    context: Omit<PromotionGateContext, 'signal'>,
    signal?: AbortSignal,
  ): Promise<GateEvaluation> {
    const verdicts = await Promise.all(
      this.gates.map(gate => this.run(gate, context, signal)),
    );
    const guard = (gate: string, message: string): GuardResult => ({
      code: 'gate',
      gate,
      message: `${gate}: ${message}`,
    });
    return {
      verdicts,
      blockers: verdicts
        .filter(v => v.result === 'blocked')
        .map(v => guard(v.gate, v.message ?? '')),
      warnings: verdicts.flatMap(v =>
        (v.warnings ?? []).map(w => guard(v.gate, w)),
      ),
    };
  }

  private async run(
    gate: PromotionGate,
    context: Omit<PromotionGateContext, 'signal'>,
    parent?: AbortSignal,
  ): Promise<GateVerdict> {
    const { timeoutMs, logger } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = parent ? AbortSignal.any([parent, timeout]) : timeout;
    let verdict: PromotionGateVerdict;
    try {
      verdict = await untilAborted(
        gate.evaluate({ ...context, signal }),
        signal,
      );
      if (verdict?.result !== 'pass' && verdict?.result !== 'block') {
        throw new Error(`answered ${JSON.stringify(verdict)}`);
      }
    } catch (error) {
      const message = timeout.aborted
        ? `did not answer within ${timeoutMs / 1000} s; the promotion is blocked until it does`
        : `could not decide (${
            (error as Error)?.message ?? String(error)
          }); the promotion is blocked until it can`;
      logger.warn(`Promotion gate '${gate.name}' ${message}`, {
        entityRef: context.entityRef,
        phase: context.phase,
      });
      return { gate: gate.name, result: 'blocked', message };
    }
    const blocked = verdict.result === 'block';
    const message =
      verdict.message || (blocked ? 'blocks the promotion' : undefined);
    return {
      gate: gate.name,
      result: blocked ? 'blocked' : 'passed',
      ...(message && { message }),
      ...(verdict.warnings?.length && { warnings: verdict.warnings }),
    };
  }
}
