#!/usr/bin/env node
// Install test (scripts/test-install.sh): our five packages (common, node, backend, scaffolder module, frontend), packed to tarballs, installed into a
// fresh Backstage app made by the pinned @backstage/create-app outside the workspaces
// (.run/install-test/app), by the READMEs' install steps alone (install-test/readme-steps.mjs says
// how they are marked and applied); then that app's backend, on a throwaway PostgreSQL and
// against the emulator: an entity's status, a promotion followed to rolled-out, a scaffolder
// dry-run of the shipped template (Terraform planned from the packed modules); and its legacy
// frontend, built and opened in Chromium: the entity card and the org page; last, the extension
// module of plugins/ecs-deploy-node/README.md (written into the app by its steps): it type-checks
// against the published declarations, and its gate blocks promoting a `:latest` image (deployed
// to staging as CI would) into prod, in the preview and on the write. Ends with "install: N passed, N failed"
// ($RESULTS_DIR/install.counts); logs of every command in .run/install-test/logs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  checkRunner,
  freePort,
  repoRoot,
  runCommand,
  seedEnvironment,
  seedService,
  sleep,
  startEmulator,
  startProcess,
} from '@internal/dev-kit';
import {
  alignWithOurRelease,
  CREATE_APP_VERSION,
  createApp,
  discardPreviousApp,
  installByReadmes,
  installedPackages,
  PACKAGES,
  packPackages,
  typeCheck,
  useRegistry,
  workspace,
  yaml,
} from './install-test/app.mjs';
import { expectVisible, openApp } from './install-test/browser.mjs';
import {
  apiClient,
  checkDryRun,
  checkGateBlocks,
  checkPromote,
  checkStatus,
  checkTarballs,
} from './install-test/checks.mjs';
import {
  emulatorConfig,
  SERVICE,
  serviceCatalog,
} from './install-test/fixtures.mjs';
import { startTarballRegistry } from './install-test/registry.mjs';

const root = repoRoot();
const ws = workspace(root);
const checks = checkRunner('install');
const timings = [];
let blocked; // the setup step that failed: what needs it is counted as failed, not run

const notRun = name =>
  checks.fail(name, new Error(`not run: "${blocked}" failed`));
/** A step the later checks need; its time is reported. */
async function setup(name, fn) {
  if (blocked) return notRun(name);
  const t0 = Date.now();
  if (!(await checks.check(name, fn))) blocked = name;
  timings.push(
    `${name.split(':')[0]} ${Math.round((Date.now() - t0) / 1000)} s`,
  );
}
const check = (name, fn) => (blocked ? notRun(name) : checks.check(name, fn));

let registry;
let emulator;
let backend;
let browser;
let pgPort;
/** scripts/postgres.sh on its own port: `start` prints the connection string. */
const postgres = async action => {
  const { stdout } = await promisify(execFile)(
    path.join(root, 'scripts/postgres.sh'),
    [action],
    { env: { ...process.env, PG_PORT: String(pgPort) } },
  );
  return stdout.trim();
};
async function cleanUp() {
  await browser?.close();
  await backend?.stop(15_000);
  await emulator?.stop();
  await registry?.stop();
  if (pgPort) await postgres('stop');
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => cleanUp().finally(() => process.exit(1)));
}

const t0 = Date.now();
rmSync(ws.logs, { recursive: true, force: true });
const discarded = discardPreviousApp(ws);
try {
  let tarballs = [];
  await setup('pack: the five packages built and packed', async () => {
    tarballs = await packPackages(root, ws);
    assert.equal(
      tarballs.length,
      PACKAGES.length,
      `tarballs: ${tarballs.join(', ')}`,
    );
    return tarballs.map(f => path.basename(f)).join(', ');
  });
  await check('the tarballs hold what runs and no sources or tests', () =>
    checkTarballs(tarballs),
  );

  await setup(
    `create-app: @backstage/create-app@${CREATE_APP_VERSION} --legacy`,
    async () => {
      const version = await createApp(root, ws);
      const raised = alignWithOurRelease(root, ws);
      return `Backstage ${version}, ${raised.length} @backstage ranges raised to our yarn.lock's`;
    },
  );

  let applied = [];
  await setup(
    "install: the READMEs' steps, our packages from the tarballs only",
    async () => {
      registry = await startTarballRegistry(tarballs);
      useRegistry(root, ws, registry.url);
      applied = await installByReadmes(root, ws, serviceCatalog(ws.app));
      const installed = installedPackages(ws);
      assert.deepEqual(
        installed.map(p => p.name).sort(),
        [...registry.names].sort(),
        'the @deployment-portal packages in the app',
      );
      for (const { name, dir, pkg, resolution } of installed) {
        assert.match(
          resolution ?? '',
          /@npm:\d/,
          `${name} resolved as ${resolution}, not from the registry`,
        );
        assert.ok(
          !JSON.stringify(pkg).includes('workspace:'),
          `${name} still names workspace: ranges`,
        );
        assert.ok(
          !readdirSync(dir).includes('src'),
          `${name} came with its sources (${dir})`,
        );
      }
      const kinds = {};
      for (const { kind } of applied) kinds[kind] = (kinds[kind] ?? 0) + 1;
      return `${applied.length} steps: ${Object.entries(kinds)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`;
    },
  );

  let port;
  let database;
  await setup(
    'build: the legacy app (packages/app); the emulator seeded, PostgreSQL started',
    async () => {
      port = await freePort();
      pgPort = await freePort();
      [emulator, database] = await Promise.all([
        startEmulator({ rolloutSeconds: 1 }),
        postgres('start'),
        runCommand('yarn', ['build'], {
          cwd: path.join(ws.app, 'packages/app'),
          logFile: path.join(ws.logs, 'app-build.log'),
        }),
      ]);
      for (const env of ['staging', 'prod']) {
        await seedEnvironment(emulator.endpoint, env, {
          cluster: `test-${env}`,
        });
        const version = env === 'staging' ? '2.0.0' : '1.0.0';
        await seedService(
          emulator.endpoint,
          env,
          SERVICE,
          `ghcr.io/acme/${SERVICE}:${version}`,
        );
      }
    },
  );

  const baseUrl = `http://127.0.0.1:${port}`;
  await setup(
    "start: the app's backend (yarn start) against the emulator",
    async () => {
      const YAML = yaml(root);
      const appConfig = YAML.parse(
        readFileSync(path.join(ws.app, 'app-config.yaml'), 'utf8'),
      );
      const local = emulatorConfig({
        appConfig,
        baseUrl,
        port,
        endpoint: emulator.endpoint,
        database,
        root,
      });
      writeFileSync(
        path.join(ws.app, 'app-config.install-test.yaml'),
        YAML.stringify(local),
      );
      backend = startProcess(
        'yarn',
        [
          'start',
          '--config',
          '../../app-config.yaml',
          '--config',
          '../../app-config.install-test.yaml',
        ],
        {
          cwd: path.join(ws.app, 'packages/backend'),
          logFile: path.join(ws.logs, 'backend.log'),
        },
      );
      const ready = () =>
        fetch(`${baseUrl}/.backstage/health/v1/readiness`).then(
          r => r.ok,
          () => false,
        );
      const deadline = Date.now() + 240_000;
      while (!(await ready())) {
        // `yarn start` keeps watching the sources after a failed start: its log says so.
        if (!backend.running() || /startup failed/i.test(backend.tail())) {
          throw new Error(
            `the backend did not start: ${backend.tail().slice(-1500)}`,
          );
        }
        if (Date.now() > deadline)
          throw new Error('the backend was not ready after 240 s');
        await sleep(1000);
      }
    },
  );

  const api = apiClient(baseUrl);
  await check(
    "status: the entity's staging and prod, read from the emulator",
    () => checkStatus(api),
  );
  await check('promote: staging to prod, followed until rolled out', () =>
    checkPromote(api),
  );
  await check(
    'scaffolder: a dry-run of the shipped template plans Terraform from the packed modules',
    () => checkDryRun(api, ws),
  );

  await check(
    'legacy app: the entity page shows the ECS deployments card',
    async () => {
      browser = await openApp(baseUrl);
      // Both environments on staging's image after the promotion.
      const text = await expectVisible(
        browser.page,
        baseUrl,
        `/catalog/default/component/${SERVICE}`,
        ['ECS deployments', `${SERVICE}-staging:1`, `${SERVICE}-prod:2`],
      );
      assert.equal(
        text.match(/\b2\.0\.0\b/g)?.length,
        2,
        'the card does not show 2.0.0 twice',
      );
    },
  );
  await check(
    "legacy app: the org page lists the service (the README's route)",
    async () => {
      const step = applied.find(s => s.kind === 'app-legacy');
      const route = step?.body.match(/<Route\s+path="([^"]+)"/)?.[1];
      assert.ok(
        route,
        "the frontend README's legacy step has no `// app routes` fragment with a <Route>",
      );
      assert.ok(browser, 'no browser: the card check could not open the app');
      await expectVisible(browser.page, baseUrl, route, [SERVICE]);
    },
  );

  // The node README's extension module, written from outside with the published API only.
  await check(
    "extension: the README's gate module type-checks against the published declarations",
    async () => {
      const files = applied.filter(s => s.kind === 'file').map(s => s.file);
      assert.ok(files.length > 0, 'no README has an install:file step');
      await typeCheck(ws, files);
      return files.join(', ');
    },
  );
  await check(
    "extension: the README's gate blocks promoting staging's :latest into prod",
    () => checkGateBlocks(api, emulator.endpoint),
  );
} catch (e) {
  checks.fail('setup', e);
} finally {
  await cleanUp();
  await discarded;
  const total = Math.round((Date.now() - t0) / 1000);
  console.log(`timings: ${timings.join(', ')}; total ${total} s`);
  process.exit(checks.finish() ? 0 : 1);
}
