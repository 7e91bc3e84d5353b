import { startEmulator, type EmulatorOptions } from '@internal/dev-kit';

export type { Emulator } from '@internal/dev-kit';

/**
 * The emulator (emulator/server.py through @internal/dev-kit) on a free loopback port. By
 * default its rollouts outlast any test, so counts stay as ECS reports them mid-rollout: a
 * service stays IN_PROGRESS with runningCount 0 (its tasks PROVISIONING). Pass e.g.
 * `{ rolloutSeconds: 1 }` (ECS_EMULATOR_ROLLOUT_SECONDS) for rollouts that complete, or `env`
 * for the other settings in emulator/README.md.
 */
export const startTestEmulator = (options: EmulatorOptions = {}) =>
  startEmulator({ rolloutSeconds: 3600, ...options });
