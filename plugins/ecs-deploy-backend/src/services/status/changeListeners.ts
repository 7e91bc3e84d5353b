import type { EnvironmentConfig } from '../../config';
import type { RefreshCause, StateChange, StateChangeListener } from './types';

/**
 * The store's one listener, fanning out to the listeners the plugin adds as it wires itself
 * (open pages and other replicas, the missed-event watch). Each is told independently.
 */
export class ChangeListeners implements StateChangeListener {
  private readonly listeners: StateChangeListener[] = [];

  add(listener: StateChangeListener) {
    this.listeners.push(listener);
  }

  async changed(
    env: EnvironmentConfig,
    changes: StateChange[],
    cause: RefreshCause,
  ): Promise<void> {
    await Promise.all(this.listeners.map(l => l.changed(env, changes, cause)));
  }
}
