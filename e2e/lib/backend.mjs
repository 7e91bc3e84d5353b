// The portal's backend, run from source like `yarn start` does (the CLI's node transform, NODE_ENV
// development so the guest provider works) but without the file watcher, so an edit elsewhere
// in the tree cannot restart it mid-run. Its app-backend serves the production build of
// packages/app on the same port, from a private copy (appPackageDir: a package.json and dist/,
// given to app-backend as app.packageName), so that another build of packages/app in the shared
// tree (yarn build:backend rebuilds it) cannot pull the frontend away mid-run.
import { spawn } from 'node:child_process';
import { createWriteStream, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT, ARTIFACTS, log } from './harness.mjs';

const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const transform = require.resolve(
  '@backstage/cli-node/config/nodeTransform.cjs',
  {
    paths: [path.join(REPO_ROOT, 'node_modules/@backstage/cli-module-build')],
  },
);

export class Backend {
  constructor({ port, awsEndpoint, pidFile, appPackageDir }) {
    this.appPackageDir = appPackageDir;
    this.port = port;
    this.awsEndpoint = awsEndpoint;
    this.pidFile = pidFile;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.child = undefined;
    this.starts = 0;
  }

  /** Starts the backend with extra APP_CONFIG_* overrides and waits until it is ready. */
  async start(name, extraEnv = {}) {
    this.starts += 1;
    const logFile = path.join(ARTIFACTS, `backend-${this.starts}-${name}.log`);
    const out = createWriteStream(logFile);
    const started = Date.now();
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        transform,
        'src/index.ts',
        '--config',
        path.join(REPO_ROOT, 'app-config.yaml'),
      ],
      {
        cwd: path.join(REPO_ROOT, 'packages/backend'),
        env: {
          ...process.env,
          NODE_ENV: 'development',
          ECS_DEPLOY_AWS_ENDPOINT: this.awsEndpoint,
          APP_CONFIG_app_baseUrl: this.baseUrl,
          APP_CONFIG_backend_baseUrl: this.baseUrl,
          APP_CONFIG_backend_listen_port: String(this.port),
          APP_CONFIG_backend_cors_origin: this.baseUrl,
          ...(this.appPackageDir
            ? { APP_CONFIG_app_packageName: this.appPackageDir }
            : {}),
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // own process group: stop() ends it and anything it started
      },
    );
    this.child = child;
    if (this.pidFile) writeFileSync(this.pidFile, `${child.pid}\n`);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(
          `backend exited with ${child.exitCode}; see ${logFile}`,
        );
      }
      try {
        const res = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (res.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline)
        throw new Error(`backend not ready in 180 s; see ${logFile}`);
      await new Promise(r => setTimeout(r, 300));
    }
    log(
      `    backend (${name}) ready on ${this.baseUrl} in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s; log ${path.relative(REPO_ROOT, logFile)}`,
    );
  }

  async stop() {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise(r => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
    if (this.pidFile) rmSync(this.pidFile, { force: true });
    // The port must be free before a restart binds it again.
    for (let i = 0; i < 50; i++) {
      try {
        await fetch(`${this.baseUrl}/.backstage/health/v1/readiness`);
        await new Promise(r => setTimeout(r, 200));
      } catch {
        return;
      }
    }
  }
}
