import { startEmulator } from '@internal/dev-kit';

export type { Emulator as Moto } from '@internal/dev-kit';

/**
 * The emulator (@internal/dev-kit) on a free loopback port, with rollouts that outlast any test:
 * as on moto_server, a service stays IN_PROGRESS and runs no task.
 */
export const startMoto = () => startEmulator({ rolloutSeconds: 3600 });
