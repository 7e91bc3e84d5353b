#!/usr/bin/env node
// Counts of a `node --test` run from its TAP file, for the stages that report them
// (scripts/test-emulator.sh, scripts/test-terraform.sh):
//   node scripts/tap-counts.mjs <file.tap> [skipped-names-file] [failed-names-file]
// prints "passed failed skipped". A test cancelled because its file or a hook failed outside any
// test counts as failed; a run without a summary (the runner crashed) prints nothing and exits 1.
// The names of skipped and todo tests go to skipped-names-file, one per line; those of failed
// tests (and of the suites and files around them) to failed-names-file.
import { readFileSync, writeFileSync } from 'node:fs';

const [tapFile, skippedFile, failedFile] = process.argv.slice(2);
let text = '';
try {
  text = readFileSync(tapFile, 'utf8');
} catch {
  process.exit(1);
}
const summary = name => {
  const all = [...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))];
  return all.length ? Number(all.at(-1)[1]) : undefined;
};
const pass = summary('pass');
if (pass === undefined) process.exit(1);
const failed = (summary('fail') ?? 0) + (summary('cancelled') ?? 0);
const skipped = (summary('skipped') ?? 0) + (summary('todo') ?? 0);
if (skippedFile) {
  const names = [...text.matchAll(/^\s*ok \d+ - (.*?) # (SKIP|TODO)\b(.*)$/gm)].map(
    ([, name, kind, reason]) => `${name} (${kind.toLowerCase()}${reason.trim() ? `: ${reason.trim()}` : ''})`,
  );
  writeFileSync(skippedFile, names.length ? `${names.join('\n')}\n` : '');
}
if (failedFile) {
  const names = [...text.matchAll(/^\s*not ok \d+ - (.*?)(?: # .*)?$/gm)].map(([, name]) => name);
  writeFileSync(failedFile, names.length ? `${names.join('\n')}\n` : '');
}
console.log(`${pass} ${failed} ${skipped}`);
