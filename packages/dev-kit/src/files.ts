import fs from 'node:fs/promises';
import path from 'node:path';

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

/** Path → content of every file under `dir` (text, or base64 for a browser or an HTTP body). */
export async function readTree(
  dir: string,
  encoding: 'utf8' | 'base64' = 'utf8',
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await listFiles(dir)) {
    out[file] = await fs.readFile(path.join(dir, file), encoding);
  }
  return out;
}
