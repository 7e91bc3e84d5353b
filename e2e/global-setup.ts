// One environment for all journeys: the emulator on E2E_EMULATOR_PORT with the Terraform demo applied
// across accounts (staging in 111111111111, prod in 222222222222, app-config.yaml's portal roles),
// the frontend built (unless E2E_SKIP_APP_BUILD=1 and a build exists) and served from a private
// copy by the backend on E2E_PORT (guest = alice of team-payments), and, when J3, J6, J11 or J13 runs, a
// second backend whose guest is carol of team-search, when J12, J14 or J15 runs a third whose guest is dave of
// platform (an admin): other identities without a restart, replicas of one portal on shared
// databases. The demo apply and the backends' start overlap. Every backend (and the Terraform the
// portal runs) reaches the emulator through the dev kit's counting proxy (E2E_BACKEND_AWS_ENDPOINT
// for journeys that start backends of their own); the teardown writes what it recorded, each IAM
// action by caller (role and account), to artifacts/aws-calls.json, which
// `node scripts/check-iam.mjs --calls e2e/artifacts/aws-calls.json` checks against portal-access.
// Returns the teardown.
// E2E_PIDS_DIR (optional) gets a pid file per process, for scripts/e2e.sh should this runner be
// killed.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  repoRoot,
  runCommand,
  startAwsProxy,
  startBackend,
  startEmulator,
  type BackendOptions,
} from '@internal/dev-kit';

const ARTIFACTS = path.join(__dirname, 'artifacts');

export default async function globalSetup() {
  const root = repoRoot();
  const only = process.env.E2E_ONLY?.split(',').filter(Boolean);
  const work =
    process.env.E2E_WORK_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
  const pidFile = (name: string) =>
    process.env.E2E_PIDS_DIR &&
    path.join(process.env.E2E_PIDS_DIR, `${name}.pid`);
  const log = (name: string) => path.join(ARTIFACTS, name);
  const newService = `e2e-${Date.now().toString(36)}`;
  const started: { stop(): Promise<void> }[] = [];
  const teardown = async () => {
    for (const s of started.reverse()) await s.stop();
    rmSync(path.join(root, '.run/published', newService), {
      recursive: true,
      force: true,
    });
    rmSync(path.join(root, '.run/terraform-state', newService), {
      recursive: true,
      force: true,
    });
    if (!process.env.E2E_WORK_DIR)
      rmSync(work, { recursive: true, force: true });
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  const t0 = Date.now();
  const say = (what: string) =>
    console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${what}`);

  try {
    const emulator = await startEmulator({
      port: Number(process.env.E2E_EMULATOR_PORT ?? 4640),
      logFile: log('emulator.log'),
      pidFile: pidFile('emulator'),
    });
    started.push(emulator);
    // Stopped after the backends (teardown goes in reverse): every call they made is in the file.
    const proxy = await startAwsProxy({ target: emulator.endpoint });
    started.push({
      stop: async () => {
        writeFileSync(
          log('aws-calls.json'),
          JSON.stringify({ calls: proxy.calls() }, null, 2),
        );
        await proxy.close();
      },
    });
    say(
      `emulator on ${emulator.endpoint}; applying the Terraform demo (staging, prod)`,
    );
    // demo-aws.sh keeps its state under .run/demo-state/<port>: one apply per port at a time.
    const demo = runCommand(
      path.join(root, 'scripts/with-lock.sh'),
      [
        path.join(root, '.run/e2e-demo.lock'),
        'scripts/demo-aws.sh',
        'apply',
        emulator.endpoint,
      ],
      { cwd: root, logFile: log('demo-aws.log'), pidFile: pidFile('demo') },
    ).then(() => say('demo applied'));

    const backends = (async () => {
      const dist = path.join(root, 'packages/app/dist');
      if (
        process.env.E2E_SKIP_APP_BUILD === '1' &&
        existsSync(path.join(dist, 'index.html'))
      ) {
        say('reusing packages/app/dist');
      } else {
        say('building the app');
        await runCommand('yarn', ['workspace', 'app', 'build'], {
          cwd: root,
          logFile: log('app-build.log'),
          pidFile: pidFile('app-build'),
        });
      }
      // A private copy: another build in this tree (yarn build:backend rebuilds packages/app,
      // emptying its dist/) must not take the frontend away in the middle of the journeys.
      const app = path.join(work, 'app');
      mkdirSync(app, { recursive: true });
      cpSync(
        path.join(root, 'packages/app/package.json'),
        path.join(app, 'package.json'),
      );
      cpSync(dist, path.join(app, 'dist'), { recursive: true });
      if (!existsSync(path.join(app, 'dist/index.html'))) {
        throw new Error(
          'packages/app/dist is incomplete (another build running?); run again',
        );
      }
      // Journeys that start backends of their own (J7: two identities on shared databases) serve it too.
      process.env.E2E_APP_DIR = app;
      // The identities' backends are replicas of one portal: one ecs-deploy database and one
      // notifications database (SQLite files), so that what one does (a promotion, a hold, a
      // verification) the others see. Each keeps its own catalog.
      const databases = path.join(work, 'databases');
      mkdirSync(databases, { recursive: true });
      const shared = {
        database: {
          plugin: Object.fromEntries(
            ['ecs-deploy', 'notifications'].map(id => [
              id,
              {
                connection: {
                  filename: path.join(databases, `${id}.sqlite`),
                },
              },
            ]),
          ),
        },
      };
      const start = async (who: string, options: Partial<BackendOptions>) => {
        const backend = await startBackend({
          name: who,
          dir: ARTIFACTS,
          awsEndpoint: proxy.endpoint,
          pidFile: pidFile(`backend-${who}`),
          ...options,
          config: {
            app: { packageName: app },
            backend: shared,
            ...options.config,
          },
        });
        started.push(backend);
        say(`backend (${who}) ready on ${backend.baseUrl}`);
        return backend;
      };
      // Another identity's backend, started only when a journey that needs it runs.
      const identity = (who: string, team: string, journeys: string[]) =>
        !only || only.some(journey => journeys.includes(journey))
          ? start(who, {
              config: {
                auth: {
                  providers: {
                    guest: {
                      userEntityRef: `user:default/${who}`,
                      ownershipEntityRefs: [
                        `user:default/${who}`,
                        `group:default/${team}`,
                      ],
                    },
                  },
                },
              },
            })
          : undefined;
      // One after the other: the first creates the shared databases (their migrations), the
      // others find them ready. All of it overlaps the demo's apply.
      // alice creates a service in J1: the portal applies its Terraform to the emulator, as the
      // local default does (the kit's test defaults turn provisioning off).
      await start('alice', {
        port: Number(process.env.E2E_PORT ?? 7047),
        config: { ecsDeploy: { scaffolder: { provision: 'terraform' } } },
      });
      // carol of team-search: the non-owner of payments-api and refunds-api, no member of the
      // team J13's service is suggested for.
      const carol = await identity('carol', 'team-search', [
        'J3',
        'J6',
        'J11',
        'J13',
      ]);
      // dave of platform: an admin (app-config.yaml's ecsDeploy.permissions.adminGroups).
      const dave = await identity('dave', 'platform', ['J12', 'J14', 'J15']);
      process.env.E2E_CAROL_URL = carol?.baseUrl ?? '';
      process.env.E2E_DAVE_URL = dave?.baseUrl ?? '';
    })();

    const results = await Promise.allSettled([demo, backends]);
    const failure = results.find(r => r.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    process.env.E2E_AWS_ENDPOINT = emulator.endpoint;
    process.env.E2E_BACKEND_AWS_ENDPOINT = proxy.endpoint;
    process.env.E2E_NEW_SERVICE = newService;
    say('ready for the journeys');
    return teardown;
  } catch (e) {
    await teardown();
    throw e;
  }
}
