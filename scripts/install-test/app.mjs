// The steps of the install test that make things: the tarballs (from the repository's packages),
// a fresh legacy-frontend app (@backstage/create-app) and the app installed by the READMEs.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runCommand } from '@internal/dev-kit';
import {
  applyBackendStep,
  applyFileStep,
  applyLegacyAppStep,
  mergeConfig,
  readmeSteps,
} from './readme-steps.mjs';

/** The packages we publish, in dependency order. */
export const PACKAGES = [
  'plugins/ecs-deploy-common',
  'plugins/ecs-deploy-node',
  'plugins/ecs-deploy-backend',
  'plugins/scaffolder-backend-module-ecs-deploy',
  'plugins/ecs-deploy',
];

/** The READMEs whose install steps the app follows, in the order a reader would. */
export const READMES = [
  'plugins/ecs-deploy-backend/README.md',
  // Its extension module (a promotion gate), next to the plugin.
  'plugins/ecs-deploy-node/README.md',
  'plugins/scaffolder-backend-module-ecs-deploy/README.md',
  'plugins/ecs-deploy/README.md',
];

/**
 * The @backstage/create-app release of our Backstage release (backstage.json): the version its
 * apps write into their own backstage.json, checked after creating the app.
 */
export const CREATE_APP_VERSION = '0.9.2';

export function workspace(root) {
  const dir = path.join(root, '.run/install-test');
  return {
    dir,
    app: path.join(dir, 'app'),
    tarballs: path.join(dir, 'tarballs'),
    logs: path.join(dir, 'logs'),
  };
}

export const yaml = root =>
  createRequire(path.join(root, 'package.json'))('yaml');

const run = (ws, name, command, args, cwd) =>
  runCommand(command, args, {
    cwd,
    logFile: path.join(ws.logs, `${name}.log`),
  });

/** Type declarations, then each package's build and `yarn pack` (its prepack and postpack). */
export async function packPackages(root, ws) {
  rmSync(ws.tarballs, { recursive: true, force: true });
  mkdirSync(ws.tarballs, { recursive: true });
  await run(ws, 'tsc', 'yarn', ['tsc'], root);
  for (const dir of PACKAGES) {
    const name = path.basename(dir);
    await run(
      ws,
      `build-${name}`,
      'yarn',
      ['backstage-cli', 'package', 'build'],
      path.join(root, dir),
    );
    await run(
      ws,
      `pack-${name}`,
      'yarn',
      ['pack', '--out', path.join(ws.tarballs, '%s-%v.tgz')],
      path.join(root, dir),
    );
  }
  return readdirSync(ws.tarballs).map(f => path.join(ws.tarballs, f));
}

/** The files of a tarball (without the leading `package/`) → whether each is executable. */
export function tarballFiles(file) {
  const entries = execFileSync('tar', ['-tvzf', file], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(line => line.split(/\s+/))
    .map(f => [f.at(-1).replace(/^package\//, ''), f[0].includes('x')]);
  return new Map(entries);
}

/**
 * Moves the previous run's app aside (a rename) and removes it while the test goes on: a
 * million files take minutes to delete on a busy machine. Await the result before exiting.
 */
export function discardPreviousApp(ws) {
  if (existsSync(ws.app)) renameSync(ws.app, `${ws.app}.old-${process.pid}`);
  const old = existsSync(ws.dir)
    ? readdirSync(ws.dir).filter(d => d.startsWith('app.old-'))
    : [];
  return Promise.all(
    old.map(d => rm(path.join(ws.dir, d), { recursive: true, force: true })),
  );
}

/**
 * A fresh app from the pinned create-app, outside the workspaces, with the legacy frontend system
 * (create-app makes the new one by default). Its dependencies are not installed yet: the READMEs'
 * first `yarn add` installs them.
 */
export async function createApp(root, ws) {
  await runCommand(
    'npx',
    [
      '--yes',
      `@backstage/create-app@${CREATE_APP_VERSION}`,
      '--legacy',
      '--skip-install',
      '--path',
      ws.app,
    ],
    {
      cwd: ws.dir,
      env: { BACKSTAGE_APP_NAME: 'install-test' },
      logFile: path.join(ws.logs, 'create-app.log'),
    },
  );
  const ours = JSON.parse(
    readFileSync(path.join(root, 'backstage.json'), 'utf8'),
  ).version;
  const theirs = JSON.parse(
    readFileSync(path.join(ws.app, 'backstage.json'), 'utf8'),
  ).version;
  if (ours !== theirs) {
    throw new Error(
      `create-app ${CREATE_APP_VERSION} makes a Backstage ${theirs} app, we are on ${ours}: pin its release`,
    );
  }
  // create-app seeds yarn.lock from GitHub, which this machine cannot reach: seed it with ours (the
  // same Backstage release), so that the app resolves what our tests run against, offline-stable.
  cpSync(path.join(root, 'yarn.lock'), path.join(ws.app, 'yarn.lock'));
  // The app runs on PostgreSQL (fixtures.mjs), as in production: better-sqlite3's native build
  // (sqlite3.c, minutes on this machine) is not needed; keytar's never succeeds here.
  const file = path.join(ws.app, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  pkg.dependenciesMeta = {
    'better-sqlite3': { built: false },
    keytar: { built: false },
  };
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return theirs;
}

/**
 * Raises the app's @backstage ranges to the versions of our yarn.lock, as
 * `backstage-cli versions:bump` would to our release (its manifests, on versions.backstage.io, are
 * out of reach here): our packages are built against those versions, newer than create-app's
 * (backend-plugin-api 1.12 needs the backend-defaults of its release). Returns what was raised.
 */
export function alignWithOurRelease(root, ws) {
  const ours = new Map();
  for (const [, name, version] of readFileSync(
    path.join(root, 'yarn.lock'),
    'utf8',
  ).matchAll(/resolution: "(@backstage\/[^@"]+)@npm:([\d.]+)"/g)) {
    if (!ours.has(name) || newer(version, ours.get(name)))
      ours.set(name, version);
  }
  const raised = [];
  for (const dir of ['.', 'packages/app', 'packages/backend']) {
    const file = path.join(ws.app, dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, range] of Object.entries(pkg[field] ?? {})) {
        const version = ours.get(name);
        if (
          version &&
          range.startsWith('^') &&
          newer(version, range.slice(1))
        ) {
          pkg[field][name] = `^${version}`;
          raised.push(`${name} ${range} → ^${version}`);
        }
      }
    }
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  return raised;
}

const newer = (a, b) => {
  const [x, y] = [a, b].map(v => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
  return false;
};

/** The app's Yarn reads the @deployment-portal scope from the tarball registry. */
export function useRegistry(root, ws, registryUrl) {
  const YAML = yaml(root);
  const file = path.join(ws.app, '.yarnrc.yml');
  const rc = YAML.parse(readFileSync(file, 'utf8'));
  rc.npmScopes = { 'deployment-portal': { npmRegistryServer: registryUrl } };
  rc.unsafeHttpWhitelist = ['127.0.0.1'];
  rc.npmPreapprovedPackages = [
    ...(rc.npmPreapprovedPackages ?? []),
    '@deployment-portal/*',
  ];
  writeFileSync(file, YAML.stringify(rc));
}

/**
 * Follows every marked step of the READMEs (readme-steps.mjs) in the app; their config blocks are
 * merged into its app-config.yaml together with `extraConfig`. Returns the steps applied.
 */
export async function installByReadmes(root, ws, extraConfig) {
  const YAML = yaml(root);
  const configFile = path.join(ws.app, 'app-config.yaml');
  let config = YAML.parse(readFileSync(configFile, 'utf8'));
  const applied = [];
  for (const readme of READMES) {
    for (const [i, { kind, body, file }] of readmeSteps(
      path.join(root, readme),
    ).entries()) {
      const where = `${readme} step ${i + 1} (install:${kind})`;
      try {
        if (kind === 'shell') {
          await run(
            ws,
            `readme-${applied.length + 1}-shell`,
            'bash',
            ['-euo', 'pipefail', '-c', body],
            ws.app,
          );
        } else if (kind === 'backend') {
          applyBackendStep(ws.app, body);
        } else if (kind === 'app-legacy') {
          applyLegacyAppStep(ws.app, body);
        } else if (kind === 'file') {
          applyFileStep(ws.app, file, body);
        } else if (kind === 'config') {
          config = mergeConfig(config, YAML.parse(body));
        } else {
          throw new Error(`unknown marker install:${kind}`);
        }
      } catch (e) {
        throw new Error(`${where}: ${e.message}`);
      }
      applied.push({ readme, kind, body, file });
    }
  }
  writeFileSync(configFile, YAML.stringify(mergeConfig(config, extraConfig)));
  return applied;
}

/**
 * Type-checks files of the app (the READMEs' `install:file` steps) with its own TypeScript and
 * settings, against the installed packages' declarations: `yarn start` only transpiles them.
 */
export async function typeCheck(ws, files) {
  const config = path.join(ws.app, 'tsconfig.install-test.json');
  writeFileSync(
    config,
    JSON.stringify({ extends: './tsconfig.json', include: files }),
  );
  await run(
    ws,
    'tsc-readme-files',
    'yarn',
    ['tsc', '--noEmit', '-p', config],
    ws.app,
  );
}

/** Our packages as the app installed them: from the registry's tarballs, built, no sources. */
export function installedPackages(ws) {
  const scopeDir = path.join(ws.app, 'node_modules/@deployment-portal');
  const lock = readFileSync(path.join(ws.app, 'yarn.lock'), 'utf8');
  return (existsSync(scopeDir) ? readdirSync(scopeDir) : []).map(dir => {
    const pkg = JSON.parse(
      readFileSync(path.join(scopeDir, dir, 'package.json'), 'utf8'),
    );
    const resolution = lock.match(
      new RegExp(`resolution: "(${pkg.name}@[^"]+)"`),
    )?.[1];
    return { name: pkg.name, dir: path.join(scopeDir, dir), pkg, resolution };
  });
}
