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
 * deployments older than `graceMs` with no event applied for the service since is one that
 * EventBridge never delivered (its rules missing or disabled), and events are not to be trusted
 * until they flow again. Changes found through events are not looked at.
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

  async changed(
    env: EnvironmentConfig,
    changes: StateChange[],
    cause: RefreshCause,
  ): Promise<void> {
    if (cause === 'event') return;
    const now = this.options.now?.() ?? Date.now();
    const missed: string[] = [];
    await Promise.all(
      changes.map(async ({ name, state, previous }) => {
        const changedAt = deploymentsChangedAt(state);
        if (
          changedAt <= deploymentsChangedAt(previous) ||
          changedAt > now - this.options.graceMs
        ) {
          return;
        }
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
