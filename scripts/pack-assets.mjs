#!/usr/bin/env node
// What a package ships from elsewhere in the repository: copied into the package before it is
// packed (its prepack) and removed after (its postpack), so that the tarball is self-contained
// while the repository keeps one source. Run from the package's directory:
//   node ../../scripts/pack-assets.mjs copy|clean
// The copies are listed in .gitignore.
import {
  cpSync,
  readdirSync,
  readFileSync,
  rmSync,
  rmdirSync,
  statSync,
} from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

// A Terraform module's .tf files and README: not its tests, lock file or local state.
const terraformModule = name => ({
  from: `terraform-modules/${name}`,
  to: `terraform-modules/${name}`,
  include: (file, isDir) =>
    isDir
      ? !/\/(tests|\.terraform)$/.test(file)
      : /(\.tf|\/README\.md)$/.test(file),
});

/** Package name → what it ships from the repository (`to` relative to the package). */
const ASSETS = {
  '@deployment-portal/plugin-scaffolder-backend-module-ecs-deploy': [
    // The "ECS service" template (register its template.yaml as a catalog location) ...
    { from: 'templates/ecs-service', to: 'templates/ecs-service' },
    // ... the "Adopt an existing ECS service" template ...
    { from: 'templates/adopt-ecs-service', to: 'templates/adopt-ecs-service' },
    // ... the "Import adopted services into Terraform" template (after a bulk adoption job) ...
    {
      from: 'templates/import-ecs-services',
      to: 'templates/import-ecs-services',
    },
    // ... and the modules its roots use by default (ecsDeploy.scaffolder.modulesSource).
    terraformModule('ecs-environment-ref'),
    terraformModule('ecs-service'),
  ],
};

const [command] = process.argv.slice(2);
const packageDir = process.cwd();
const { name } = JSON.parse(
  readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
);
const assets = ASSETS[name];
if (!assets || !['copy', 'clean'].includes(command)) {
  console.error(
    `usage: (in ${Object.keys(ASSETS).join(
      ' or ',
    )}) pack-assets.mjs copy|clean`,
  );
  process.exit(1);
}
for (const { from, to, include } of assets) {
  const target = path.join(packageDir, to);
  rmSync(target, { recursive: true, force: true });
  if (command === 'copy') {
    const source = path.join(repoRoot, from);
    cpSync(source, target, {
      recursive: true,
      filter: file =>
        !include ||
        file === source ||
        include(file, statSync(file).isDirectory()),
    });
  }
}
// The directories that only held copies.
for (const dir of new Set(
  assets.map(({ to }) => path.join(packageDir, path.dirname(to))),
)) {
  if (command === 'clean' && readdirSync(dir).length === 0) rmdirSync(dir);
}
