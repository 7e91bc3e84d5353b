import type { EnvironmentConfig } from '../../config';
import type {
  RefreshCause,
  ServiceState,
  StateChange,
  StateChangeListener,
} from '../status/types';
import type { EventMarks } from './eventMarks';
import type { EventsHealth } from './eventsHealth';

/** Event times are whole seconds; a deployment's `updatedAt` is not. */
const TOLERANCE_MS = 2_000;

/** When ECS last changed the service's deployments (what its events report). */
export function deploymentsChangedAt(state: ServiceState): number {
  const times = (state.summary?.deployments ?? []).flatMap(d =>
    [d.createdAt, d.updatedAt].filter((t): t is string => !!t).map(Date.parse),
  );
  return times.length > 0 ? Math.max(...times) : 0;
}

/**
 * Watches what the safety net (polling, the warm index) finds changed: a change of the
 * deployments with no event applied for the service by `graceMs` after it is one that
 * EventBridge never delivered (its rules missing or disabled), and events are not to be trusted
 * until they flow again. A change found sooner than that is looked at again once the grace is
 * over (the event may still be on its way). Changes found through events are not looked at.
 */
export class MissedChanges implements StateChangeListener {
  constructor(
    private readonly options: {
      marks: EventMarks;
      health: EventsHealth;
      graceMs: number;
      now?: () => number;
    },
  ) {}

  private now() {
    return this.options.now?.() ?? Date.now();
  }

  async changed(
    env: EnvironmentConfig,
    changes: StateChange[],
    cause: RefreshCause,
  ): Promise<void> {
    if (cause === 'event') return;
    const now = this.now();
    const due: Array<{ name: string; changedAt: number }> = [];
    for (const { name, state, previous } of changes) {
      const changedAt = deploymentsChangedAt(state);
      if (changedAt <= deploymentsChangedAt(previous)) continue;
      const wait = changedAt + this.options.graceMs - now;
      if (wait <= 0) {
        due.push({ name, changedAt });
        continue;
      }
      setTimeout(() => {
        this.check(env, [{ name, changedAt }]).catch(() => {});
      }, wait).unref();
    }
    await this.check(env, due);
  }

  /** Reports the changes whose service has no event applied from about their time on. */
  private async check(
    env: EnvironmentConfig,
    changes: Array<{ name: string; changedAt: number }>,
  ) {
    const missed: string[] = [];
    await Promise.all(
      changes.map(async ({ name, changedAt }) => {
        const mark = await this.options.marks.get(env, name);
        if (!mark || mark.time < changedAt - TOLERANCE_MS) {
          missed.push(`${name} in ${env.name}`);
        }
      }),
    );
    if (missed.length > 0) {
      await this.options.health.missed(missed[0], missed.length);
    }
  }
}
