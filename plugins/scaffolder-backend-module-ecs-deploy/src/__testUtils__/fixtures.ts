import fs from 'node:fs/promises';
import path from 'node:path';
import { EcsDeployScaffolderOptions } from '../config';

/** Options as the module reads them from a config with staging, prod and a local backend. */
export function testOptions(
  overrides: Partial<EcsDeployScaffolderOptions> = {},
): EcsDeployScaffolderOptions {
  return {
    environments: [
      { name: 'staging', region: 'us-east-1' },
      { name: 'prod', region: 'eu-west-1' },
    ],
    modulesSource: '../terraform-modules',
    imageRepository: 'ghcr.io/acme',
    defaultRegion: 'us-east-1',
    backend: { type: 'local' },
    localPublishDir: '/nonexistent/published',
    adminGroups: ['group:default/platform'],
    ...overrides,
  };
}

/** Every file under `dir`, as sorted POSIX paths relative to it. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(current: string) {
    for (const entry of await fs.readdir(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else {
        out.push(path.relative(dir, full).split(path.sep).join('/'));
      }
    }
  }
  await walk(dir);
  return out.sort();
}

/** Path → content of every file under `dir`. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    out[file] = await fs.readFile(path.join(dir, file), 'utf8');
  }
  return out;
}
