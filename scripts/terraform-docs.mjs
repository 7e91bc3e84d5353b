#!/usr/bin/env node
// README tables of a Terraform module (requirements, resources, inputs, outputs) generated from its
// .tf files between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS -->, as terraform-docs does for
// terraform-aws-modules. The prose around the markers is kept.
//   node scripts/terraform-docs.mjs                  # rewrite the tables of every module
//   node scripts/terraform-docs.mjs --check          # exit 1, naming the READMEs that are out of date
//   node scripts/terraform-docs.mjs DIR...           # only these module directories
// terraform-docs itself is a Go binary we cannot install here; this reads the HCL subset our modules
// use (blocks, attributes, strings, heredocs, comments) and fails on anything it cannot read.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const repoRoot = path.resolve(import.meta.dirname, '..');
const MODULES = ['ecs-environment', 'ecs-environment-ref', 'ecs-service', 'portal-access', 'portal-events'].map(m => path.join('terraform-modules', m));
export const BEGIN = '<!-- BEGIN_TF_DOCS -->';
export const END = '<!-- END_TF_DOCS -->';

// ---------------------------------------------------------------------------------------------
// A reader for the HCL native syntax subset of our modules
// ---------------------------------------------------------------------------------------------

class HclError extends Error {}

/** Index just past a heredoc that starts at `i` (`<<EOT` or `<<-EOT`), or -1 when `i` starts none. */
function heredocEnd(text, i) {
  const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(text.slice(i, i + 80));
  if (!m) return -1;
  const close = new RegExp(`^[ \\t]*${m[1]}[ \\t]*$`, 'm');
  const rest = text.slice(i + m[0].length);
  const end = close.exec(rest);
  if (!end) throw new HclError(`unterminated heredoc ${m[1]}`);
  return i + m[0].length + end.index + end[0].length;
}

/** Index just past the quoted string starting at `i`, template sequences (`${…}`, `%{…}`) included. */
function stringEnd(text, i) {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if ((c === '$' || c === '%') && text[j + 1] === c && text[j + 2] === '{') j += 3; // $${ and %%{: literal
    else if ((c === '$' || c === '%') && text[j + 1] === '{') j = balancedEnd(text, j + 1);
    else if (c === '\n') throw new HclError('newline in a quoted string');
    else j += 1;
  }
  throw new HclError('unterminated string');
}

/** Index just past a comment starting at `i`, or -1 when none starts there. */
function commentEnd(text, i) {
  if (text[i] === '#' || (text[i] === '/' && text[i + 1] === '/')) {
    const nl = text.indexOf('\n', i);
    return nl === -1 ? text.length : nl;
  }
  if (text[i] === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2);
    if (close === -1) throw new HclError('unterminated comment');
    return close + 2;
  }
  return -1;
}

const CLOSING = { '(': ')', '[': ']', '{': '}' };

/** Index just past the bracket that closes the one at `i`. */
function balancedEnd(text, i) {
  const stack = [CLOSING[text[i]]];
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    const skip = c === '"' ? stringEnd(text, j) : c === '<' ? heredocEnd(text, j) : commentEnd(text, j);
    if (skip !== -1) { j = skip; continue; }
    if (CLOSING[c]) stack.push(CLOSING[c]);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== c) throw new HclError(`unbalanced '${c}'`);
      if (stack.length === 0) return j + 1;
    }
    j += 1;
  }
  throw new HclError(`unclosed '${text[i]}'`);
}

/** Index of the end of the expression starting at `i`: the first newline outside brackets. */
function expressionEnd(text, i) {
  let j = i;
  while (j < text.length && text[j] !== '\n') {
    const c = text[j];
    const skip = c === '"' ? stringEnd(text, j) : c === '<' ? heredocEnd(text, j) : commentEnd(text, j);
    if (skip !== -1) {
      if (c === '#' || c === '/') return j; // a comment ends the expression
      j = skip;
    } else if (CLOSING[c]) j = balancedEnd(text, j);
    else j += 1;
  }
  return j;
}

/**
 * Parses a body (a file, or the inside of a block): attributes `name = expression` with the
 * expression's source text, and blocks `type "label"... { body }` parsed recursively.
 */
export function parseBody(text) {
  const body = { attributes: {}, blocks: [] };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i += 1; continue; }
    const skip = commentEnd(text, i);
    if (skip !== -1) { i = skip; continue; }
    const head = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*/.exec(text.slice(i));
    if (!head) throw new HclError(`unexpected '${text.slice(i, i + 20)}'`);
    let j = i + head[0].length;
    if (text[j] === '=' && text[j + 1] !== '=') {
      const start = j + 1;
      const end = expressionEnd(text, start);
      body.attributes[head[1]] = text.slice(start, end).trim();
      i = end;
      continue;
    }
    const labels = [];
    for (let m; (m = /^"([^"\\]*)"[ \t]*/.exec(text.slice(j))); j += m[0].length) labels.push(m[1]);
    if (text[j] !== '{') throw new HclError(`expected '=' or '{' after ${head[1]}`);
    const end = balancedEnd(text, j);
    body.blocks.push({ type: head[1], labels, body: parseBody(text.slice(j + 1, end - 1)) });
    i = end;
  }
  return body;
}

/** The value of a string literal or heredoc expression; throws for anything else. */
export function stringValue(expr) {
  if (expr.startsWith('<<')) {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n([\s\S]*?)\n?[ \t]*\2[ \t]*$/.exec(expr);
    if (!m) throw new HclError(`unreadable heredoc: ${expr.slice(0, 40)}`);
    const lines = m[3].split('\n');
    if (!m[1]) return m[3];
    const indent = Math.min(...lines.filter(l => l.trim()).map(l => /^[ \t]*/.exec(l)[0].length));
    return lines.map(l => l.slice(indent)).join('\n');
  }
  if (!/^"([^"\\]|\\.)*"$/.test(expr)) throw new HclError(`not a string literal: ${expr.slice(0, 40)}`);
  return JSON.parse(expr.replaceAll('$${', '${').replaceAll('%%{', '%{'));
}

/** Source text of an expression with its common indentation removed (for multi-line types and defaults). */
function dedent(expr) {
  const lines = expr.split('\n');
  if (lines.length === 1) return expr;
  const rest = lines.slice(1).filter(l => l.trim());
  const indent = Math.min(...rest.map(l => /^ */.exec(l)[0].length));
  return [lines[0], ...lines.slice(1).map(l => l.slice(indent))].join('\n');
}

// ---------------------------------------------------------------------------------------------
// The module and its tables
// ---------------------------------------------------------------------------------------------

/** Everything the tables show, read from the module's top-level .tf files. */
export function readModule(dir) {
  const files = readdirSync(dir).filter(f => f.endsWith('.tf')).sort();
  const module = { requirements: [], resources: [], inputs: [], outputs: [] };
  for (const file of files) {
    let body;
    try {
      body = parseBody(readFileSync(path.join(dir, file), 'utf8'));
    } catch (e) {
      if (e instanceof HclError) throw new Error(`${path.join(dir, file)}: ${e.message}`);
      throw e;
    }
    for (const block of body.blocks) {
      const where = `${path.join(dir, file)}: ${block.type} "${block.labels.join('" "')}"`;
      const attr = block.body.attributes;
      if (block.type === 'variable') {
        if (!attr.description) throw new Error(`${where} has no description`);
        if (!attr.type) throw new Error(`${where} has no type`);
        module.inputs.push({
          name: block.labels[0],
          description: stringValue(attr.description),
          type: dedent(attr.type),
          default: attr.default === undefined ? undefined : dedent(attr.default),
        });
      } else if (block.type === 'output') {
        if (!attr.description) throw new Error(`${where} has no description`);
        module.outputs.push({ name: block.labels[0], description: stringValue(attr.description) });
      } else if (block.type === 'resource' || block.type === 'data') {
        module.resources.push({ address: `${block.type === 'data' ? 'data.' : ''}${block.labels.join('.')}`, kind: block.type });
      } else if (block.type === 'terraform') {
        if (attr.required_version) module.requirements.push({ name: 'terraform', version: stringValue(attr.required_version) });
        for (const rp of block.body.blocks.filter(b => b.type === 'required_providers')) {
          for (const [name, expr] of Object.entries(rp.body.attributes)) {
            const source = /source\s*=\s*"([^"]+)"/.exec(expr)?.[1];
            const version = /version\s*=\s*"([^"]+)"/.exec(expr)?.[1];
            module.requirements.push({ name: source ? `${name} (${source})` : name, version: version ?? 'any' });
          }
        }
      }
    }
  }
  return module;
}

/** Prose in a table cell: one line, `|` escaped, and `<`, `>` outside code spans as entities (not HTML tags). */
const cell = text =>
  text
    .replace(/\s*\n\s*/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 ? part : part.replaceAll('<', '&lt;').replaceAll('>', '&gt;')))
    .join('`')
    .replaceAll('|', '\\|');
/** Code in a table cell: a code span, or HTML <pre> for multi-line code (types and defaults). */
const html = text => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '&#124;');
const code = text => (text.includes('\n') ? `<pre>${html(text).replaceAll('\n', '<br/>')}</pre>` : `\`${text.replaceAll('|', '\\|')}\``);

/** The markdown that goes between the markers. */
export function renderDocs(module) {
  const out = [];
  out.push('## Requirements', '', '| Name | Version |', '|------|---------|');
  for (const r of module.requirements) out.push(`| ${r.name} | \`${r.version}\` |`);
  out.push('', '## Resources', '', '| Name | Type |', '|------|------|');
  for (const r of module.resources) out.push(`| \`${r.address}\` | ${r.kind === 'data' ? 'data source' : 'resource'} |`);
  out.push('', '## Inputs', '', '| Name | Description | Type | Default | Required |', '|------|-------------|------|---------|:--------:|');
  for (const v of module.inputs) {
    const required = v.default === undefined;
    out.push(`| <a name="input_${v.name}"></a> \`${v.name}\` | ${cell(v.description)} | ${code(v.type)} | ${required ? 'n/a' : code(v.default)} | ${required ? 'yes' : 'no'} |`);
  }
  out.push('', '## Outputs', '', '| Name | Description |', '|------|-------------|');
  for (const o of module.outputs) out.push(`| <a name="output_${o.name}"></a> \`${o.name}\` | ${cell(o.description)} |`);
  return out.join('\n');
}

/** The README with the generated part replaced; throws when the markers are missing or out of order. */
export function updateReadme(readme, docs, file = 'README.md') {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin === -1 || end < begin || readme.indexOf(BEGIN, begin + 1) !== -1) {
    throw new Error(`${file}: needs exactly one ${BEGIN} followed by ${END}`);
  }
  return `${readme.slice(0, begin + BEGIN.length)}\n${docs}\n${readme.slice(end)}`;
}

function main() {
  const { values, positionals } = parseArgs({ options: { check: { type: 'boolean', default: false } }, allowPositionals: true });
  const dirs = (positionals.length ? positionals : MODULES.map(m => path.join(repoRoot, m))).map(d => path.resolve(d));
  const stale = [];
  for (const dir of dirs) {
    const file = path.join(dir, 'README.md');
    if (!existsSync(file)) throw new Error(`${file} does not exist`);
    const readme = readFileSync(file, 'utf8');
    const updated = updateReadme(readme, renderDocs(readModule(dir)), file);
    if (updated === readme) continue;
    stale.push(path.relative(repoRoot, file));
    if (!values.check) writeFileSync(file, updated);
  }
  if (values.check && stale.length) {
    console.error(`out of date (run node scripts/terraform-docs.mjs): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(stale.length ? `${values.check ? 'stale' : 'updated'}: ${stale.join(', ')}` : 'up to date');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main();
  } catch (e) {
    console.error(`error: ${e.message}`);
    process.exit(1);
  }
}
