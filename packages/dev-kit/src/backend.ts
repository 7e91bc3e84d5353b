import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { localAwsEnv } from './accounts.ts';
import { assertPortFree, freePort } from './ports.ts';
import { startProcess, waitUntilReady } from './processes.ts';
import { repoRoot } from './repo.ts';

export interface BackendOptions {
  /** Names its log and generated config files. */
  name: string;
  /**
   * `source` (default): packages/backend/src through the Backstage CLI's node transform, as
   * `yarn start` runs it but without the file watcher (NODE_ENV development: guest sign-in).
   * `bundle`: the built backend unpacked in `bundleDir` (NODE_ENV production).
   */
  from?: 'source' | 'bundle';
  bundleDir?: string;
  /**
   * With `from: 'source'`: the entry file instead of packages/backend/src/index.ts, e.g. a bench
   * backend with extra plugins (run with packages/backend as its working directory).
   */
  entry?: string;
  /**
   * A production start of the bundle: exactly app-config.yaml and app-config.production.yaml,
   * everything else from `env` (the portal's URL, APP_BASE_URL, and the listen address are set
   * here), as a deployment runs it. No test layers, no static tokens.
   */
  production?: boolean;
  /** Default: a free loopback port. */
  port?: number;
  /**
   * Sets ECS_DEPLOY_AWS_ENDPOINT, which app-config.yaml's environments use, and what its accounts
   * need (localAwsEnv: the main account's test keys, the emulator as STS endpoint).
   */
  awsEndpoint?: string;
  /**
   * Layered after app-config.yaml and the test defaults (in-memory SQLite,
   * `ecsDeploy.scaffolder.provision: none`).
   */
  configFiles?: string[];
  /** Layered last (written to a file next to the log). */
  config?: object;
  /** How many static external-access tokens to configure (backend.token is the first). */
  staticTokens?: number;
  env?: Record<string, string>;
  /** Log and generated config go here (default .run/dev-kit). */
  dir?: string;
  pidFile?: string;
  readyTimeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  /** The parsed body, when it is JSON. */
  json: any;
  text: string;
  ms: number;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Bearer token; default the first static token; null for none. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Backend {
  baseUrl: string;
  port: number;
  /** The first static token, when staticTokens was set. */
  token?: string;
  tokens: string[];
  logFile: string;
  request(urlPath: string, options?: RequestOptions): Promise<ApiResponse>;
  /** A user token from the guest provider (development mode only). */
  guestToken(): Promise<string>;
  /** Everything it has logged so far. */
  log(): string;
  stop(): Promise<void>;
}

function backendCommand(options: BackendOptions, root: string): string[] {
  if (options.from === 'bundle') {
    if (!options.bundleDir) throw new Error('from: bundle needs bundleDir');
    return [path.join(options.bundleDir, 'packages/backend')];
  }
  const require = createRequire(path.join(root, 'package.json'));
  const transform = require.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
    { paths: [path.join(root, 'node_modules/@backstage/cli-module-build')] },
  );
  return [
    '--enable-source-maps',
    '--require',
    transform,
    options.entry ?? 'src/index.ts',
  ];
}

/** Starts the portal's backend on loopback and waits until it reports ready. */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const root = repoRoot();
  const port = options.port ?? (await freePort());
  if (options.port) await assertPortFree(port);
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = options.dir ?? path.join(root, '.run/dev-kit');
  mkdirSync(dir, { recursive: true });
  const file = (kind: string, ext: string) =>
    path.join(dir, `${kind}-${options.name}-${port}.${ext}`);
  const tokens = Array.from({ length: options.staticTokens ?? 0 }, () =>
    randomBytes(24).toString('hex'),
  );
  const tokenEnv = Object.fromEntries(
    tokens.map((t, i) => [`DEV_KIT_STATIC_TOKEN_${i}`, t]),
  );
  // The listen address and URLs, and the tokens by reference to the environment ($ escaped
  // for the template literal only).
  const layer = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      cors: { origin: baseUrl },
      ...(tokens.length > 0 && {
        auth: {
          externalAccess: tokens.map((_, i) => ({
            type: 'static',
            options: {
              token: `\${DEV_KIT_STATIC_TOKEN_${i}}`,
              subject: `dev-kit-${i}`,
            },
          })),
        },
      }),
    },
  };
  // Test defaults, right after app-config.yaml so that configFiles and `config` may change them:
  // an in-memory database (app-config.yaml keeps the local portal's in .run/portal-db) and no
  // Terraform run when the template creates a service.
  const defaults = {
    backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
    ecsDeploy: { scaffolder: { provision: 'none' } },
  };
  const configs = [
    path.join(root, 'app-config.yaml'),
    file('app-config.defaults', 'json'),
    ...(options.configFiles ?? []),
    file('app-config', 'json'),
  ];
  writeFileSync(configs[1], JSON.stringify(defaults, null, 2));
  writeFileSync(configs[configs.length - 1], JSON.stringify(layer, null, 2));
  if (options.config) {
    configs.push(file('app-config.extra', 'json'));
    writeFileSync(
      configs[configs.length - 1],
      JSON.stringify(options.config, null, 2),
    );
  }
  const logFile = file('backend', 'log');
  writeFileSync(logFile, '');
  const production = options.production
    ? {
        configs: ['app-config.yaml', 'app-config.production.yaml'].map(f =>
          path.join(root, f),
        ),
        env: {
          APP_BASE_URL: baseUrl,
          APP_CONFIG_backend_listen: JSON.stringify({
            host: '127.0.0.1',
            port,
          }),
        },
      }
    : undefined;
  if (production && options.from !== 'bundle') {
    throw new Error('production: true runs the bundle (from: bundle)');
  }
  const child = startProcess(
    process.execPath,
    [
      ...backendCommand(options, root),
      ...(production?.configs ?? configs).flatMap(c => ['--config', c]),
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      env: {
        NODE_ENV: options.from === 'bundle' ? 'production' : 'development',
        ...(options.awsEndpoint && {
          ECS_DEPLOY_AWS_ENDPOINT: options.awsEndpoint,
          ...localAwsEnv(options.awsEndpoint),
        }),
        ...tokenEnv,
        ...production?.env,
        ...options.env,
      },
      logFile,
      pidFile: options.pidFile,
    },
  );
  await waitUntilReady(
    child,
    `the backend ${options.name} on ${baseUrl} (log ${logFile})`,
    async () => (await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok,
    { timeoutMs: options.readyTimeoutMs ?? 180_000, intervalMs: 300 },
  );

  async function request(urlPath: string, init: RequestOptions = {}) {
    const token = init.token === undefined ? tokens[0] : init.token;
    const started = performance.now();
    const res = await fetch(`${baseUrl}${urlPath}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(init.body !== undefined && { 'content-type': 'application/json' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, ms: performance.now() - started };
  }

  return {
    baseUrl,
    port,
    token: tokens[0],
    tokens,
    logFile,
    request,
    async guestToken() {
      const res = await request('/api/auth/guest/refresh', {
        token: null,
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      const token = res.json?.backstageIdentity?.token;
      if (!token)
        throw new Error(
          `no guest token: ${res.status} ${res.text.slice(0, 200)}`,
        );
      return token;
    },
    log: () => readFileSync(logFile, 'utf8'),
    stop: () => child.stop(10_000),
  };
}
