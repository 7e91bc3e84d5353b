// Named checks with real assertions, a screenshot per step and a summary line.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
export const ARTIFACTS =
  process.env.E2E_ARTIFACTS ?? path.join(E2E_DIR, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const results = [];
let current;
let stepNo = 0;

export function log(...args) {
  console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
}

/** Saves a screenshot named <journey>-<nn>-<step>.png (full page unless fullPage: false: dialogs). */
export async function shot(page, step, { fullPage = true } = {}) {
  stepNo += 1;
  const slug = `${current ?? 'setup'}-${String(stepNo).padStart(
    2,
    '0',
  )}-${step}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-');
  const file = path.join(ARTIFACTS, `${slug}.png`);
  try {
    await page.screenshot({ path: file, fullPage, timeout: 15_000 });
    log(`    screenshot ${path.relative(REPO_ROOT, file)}`);
  } catch (e) {
    log(`    (no screenshot for ${step}: ${e.message.split('\n')[0]})`);
  }
  return file;
}

/** Runs one journey as a named check; a thrown error fails it. */
export async function journey(id, name, fn, { page } = {}) {
  current = id;
  stepNo = 0;
  const started = Date.now();
  log(`==> ${id}: ${name}`);
  try {
    await fn();
    results.push({ id, name, ok: true, ms: Date.now() - started });
    log(
      `  ok    ${id}: ${name} (${((Date.now() - started) / 1000).toFixed(
        1,
      )} s)`,
    );
  } catch (e) {
    results.push({ id, name, ok: false, ms: Date.now() - started, error: e });
    log(
      `  FAIL  ${id}: ${name} (${((Date.now() - started) / 1000).toFixed(
        1,
      )} s)`,
    );
    log(
      `        ${String(e.stack ?? e)
        .split('\n')
        .slice(0, 8)
        .join('\n        ')}`,
    );
    const p = typeof page === 'function' ? page() : page;
    if (p) await shot(p, 'failure');
  }
}
