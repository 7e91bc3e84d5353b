import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo.ts';

/** The built backend: what `yarn build:backend` packs and a container image ships. */
export function backendBundle(): string {
  return path.join(repoRoot(), 'packages/backend/dist/bundle.tar.gz');
}

/**
 * Unpacks the built backend into `dir` (under the repository, so that third-party modules
 * resolve from its node_modules) with links for its workspace packages; returns `dir`, which
 * startBackend({ from: 'bundle', bundleDir }) runs. Whatever `dir` held is replaced.
 */
export function unpackBundle(dir: string, bundle = backendBundle()): string {
  if (!existsSync(bundle)) {
    throw new Error(`${bundle} is missing; run yarn build:backend first`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['xzf', bundle, '-C', dir]);
  for (const entry of readdirSync(path.join(dir, 'plugins'))) {
    const pkg = JSON.parse(
      readFileSync(path.join(dir, 'plugins', entry, 'package.json'), 'utf8'),
    );
    const link = path.join(dir, 'node_modules', pkg.name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.join(dir, 'plugins', entry), link);
  }
  return dir;
}
