import { startEmulator, type EmulatorOptions } from '@internal/dev-kit';

export type { Emulator as Moto } from '@internal/dev-kit';

/**
 * The emulator (emulator/server.py through @internal/dev-kit) on a free loopback port. By
 * default its rollouts outlast any test, so counts stay as moto_server gave them: a service
 * stays IN_PROGRESS with runningCount 0 (its tasks PROVISIONING). Pass e.g.
 * `{ rolloutSeconds: 1 }` (ECS_EMULATOR_ROLLOUT_SECONDS) for rollouts that complete, or `env`
 * for the other settings in emulator/README.md.
 */
export const startMoto = (options: EmulatorOptions = {}) =>
  startEmulator({ rolloutSeconds: 3600, ...options });
