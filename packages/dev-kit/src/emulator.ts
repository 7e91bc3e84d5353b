import path from 'node:path';
import { assertPortFree, freePort } from './ports.ts';
import { startProcess, waitUntilReady } from './processes.ts';
import { repoRoot } from './repo.ts';

/** emulator/server.py: moto's server with our ECS layer (see emulator/README.md). */
export function emulatorServer(): string {
  return path.join(repoRoot(), 'emulator/server.py');
}

/**
 * The Python with moto: $EMULATOR_PYTHON (a venv's, say; a relative path is taken from the
 * repository root, as scripts/env.sh takes it from where a script starts), else python3.
 */
export function emulatorPython(): string {
  const python = process.env.EMULATOR_PYTHON || 'python3';
  return python.includes('/') ? path.resolve(repoRoot(), python) : python;
}

export interface EmulatorOptions {
  /** Default: a free loopback port. */
  port?: number;
  /** ECS_EMULATOR_ROLLOUT_SECONDS: how long a rollout takes. */
  rolloutSeconds?: number;
  /** ECS_EMULATOR_MINUTE_SECONDS: real seconds per emulated minute (bake times, metrics, alarms). */
  minuteSeconds?: number;
  /** ECS_EMULATOR_THROTTLING: ECS API throttling at ECS's documented rates (the emulator's default: on). */
  throttling?: boolean;
  env?: Record<string, string>;
  /** Default: emulatorPython(). */
  python?: string;
  timeoutMs?: number;
  logFile?: string;
  pidFile?: string;
}

export interface Emulator {
  endpoint: string;
  port: number;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the local AWS emulator on loopback and waits until it answers. */
export async function startEmulator(
  options: EmulatorOptions = {},
): Promise<Emulator> {
  const {
    rolloutSeconds,
    minuteSeconds,
    throttling,
    python = emulatorPython(),
    timeoutMs = 30_000,
  } = options;
  const port = options.port ?? (await freePort());
  if (options.port) await assertPortFree(port);
  const endpoint = `http://127.0.0.1:${port}`;
  const child = startProcess(
    python,
    [emulatorServer(), '-H', '127.0.0.1', '-p', String(port)],
    {
      env: {
        ...(rolloutSeconds !== undefined && {
          ECS_EMULATOR_ROLLOUT_SECONDS: String(rolloutSeconds),
        }),
        ...(minuteSeconds !== undefined && {
          ECS_EMULATOR_MINUTE_SECONDS: String(minuteSeconds),
        }),
        ...(throttling !== undefined && {
          ECS_EMULATOR_THROTTLING: throttling ? 'on' : 'off',
        }),
        ...options.env,
      },
      logFile: options.logFile,
      pidFile: options.pidFile,
    },
  );
  await waitUntilReady(
    child,
    `the emulator on ${endpoint}`,
    async () => (await fetch(`${endpoint}/_emulator/health`)).ok,
    { timeoutMs },
  );
  return {
    endpoint,
    port,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok)
        throw new Error(`reset of ${endpoint} answered ${res.status}`);
    },
    stop: () => child.stop(3000),
  };
}

/** Switches the emulator's ECS throttling at run time (POST /_emulator/throttling). */
export async function setEmulatorThrottling(
  endpoint: string,
  enabled: boolean,
): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/throttling`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enabled }),
  });
  if (!res.ok) {
    throw new Error(`throttling switch on ${endpoint} answered ${res.status}`);
  }
}

/**
 * Refills the emulator's ECS throttling buckets and forgets its counters (POST
 * /_emulator/throttling/reset); then the number of requests it has throttled since
 * (GET /_emulator/throttling), e.g. to measure each of two clients from full buckets.
 */
export async function resetThrottling(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/_emulator/throttling/reset`, {
    method: 'POST',
  });
  if (!res.ok) {
    throw new Error(`throttling reset on ${endpoint} answered ${res.status}`);
  }
}

/** How many requests the emulator has throttled since its counters were last reset. */
export async function throttledCount(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/_emulator/throttling`);
  if (!res.ok) {
    throw new Error(`throttling report of ${endpoint} answered ${res.status}`);
  }
  return ((await res.json()) as { throttled: number }).throttled;
}

/**
 * Runs `fn` (seeding hundreds of services, say) with the emulator's ECS throttling off and
 * switches it back on afterwards, so what is measured next runs at ECS's documented rates.
 */
export async function withoutThrottling<T>(
  endpoint: string,
  fn: () => Promise<T>,
): Promise<T> {
  await setEmulatorThrottling(endpoint, false);
  try {
    return await fn();
  } finally {
    await setEmulatorThrottling(endpoint, true);
  }
}

/** One service for `bulkSeed`: RegisterTaskDefinition's and CreateService's parameters. */
export interface BulkSeedService {
  taskDefinition: Record<string, unknown> & {
    family: string;
    containerDefinitions: Array<Record<string, unknown>>;
  };
  service: Record<string, unknown> & { serviceName: string };
}

/**
 * Creates `services` in `cluster` of `account` and `region` in-process through the emulator's
 * seed hook (POST /_emulator/seed, `chunk` services a request): what a benchmark does before it
 * measures, thousands of services in seconds instead of two throttled SDK calls each.
 */
export async function bulkSeed(
  endpoint: string,
  target: { account: string; region: string; cluster: string },
  services: BulkSeedService[],
  chunk = 500,
): Promise<void> {
  for (let i = 0; i < services.length; i += chunk) {
    const res = await fetch(`${endpoint}/_emulator/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...target,
        services: services.slice(i, i + chunk),
      }),
    });
    if (!res.ok) {
      throw new Error(
        `seeding ${target.cluster} on ${endpoint} answered ${
          res.status
        }: ${await res.text()}`,
      );
    }
  }
}
