import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/**
 * The repository root: the nearest folder at or above the working directory whose package.json
 * declares workspaces, else $REPO_ROOT (scripts/env.sh exports it). The kit runs as native ESM
 * and compiled to CommonJS by Jest, so it cannot find itself through import.meta.
 */
export function repoRoot(): string {
  if (cached) return cached;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).workspaces) {
      cached = dir;
      return dir;
    }
    if (path.dirname(dir) === dir) break;
  }
  if (process.env.REPO_ROOT) {
    cached = process.env.REPO_ROOT;
    return cached;
  }
  throw new Error(
    `no repository root above ${process.cwd()}; run from the repository or set REPO_ROOT`,
  );
}
