// Tests of scripts/terraform-docs.mjs (the README tables): the HCL it reads, the tables it writes,
// and that every variable and output of our modules reaches the tables. Run by scripts/test-terraform.sh.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BEGIN, END, parseBody, readModule, renderDocs, stringValue, updateReadme } from '../../scripts/terraform-docs.mjs';

const modulesDir = path.resolve(import.meta.dirname, '..');

describe('HCL reader', () => {
  test('attributes keep their source; nested blocks are parsed; comments are skipped', () => {
    const body = parseBody(`
# a comment with { and "
variable "x" {
  type = object({
    a = optional(string, "}") # closing brace in a string
    b = list(number)
  })
  default = { a = "\${var.y}-{z}" }
  /* block comment } */
  validation {
    condition     = var.x.a != "" // trailing comment
    error_message = "x.a must not be empty."
  }
}
`);
    const [v] = body.blocks;
    assert.equal(v.type, 'variable');
    assert.deepEqual(v.labels, ['x']);
    assert.equal(v.body.attributes.type, 'object({\n    a = optional(string, "}") # closing brace in a string\n    b = list(number)\n  })');
    assert.equal(v.body.attributes.default, '{ a = "${var.y}-{z}" }');
    assert.equal(v.body.blocks[0].type, 'validation');
    assert.equal(v.body.blocks[0].body.attributes.condition, 'var.x.a != ""');
  });

  test('heredocs: indented (<<-) and plain, with braces inside', () => {
    const body = parseBody('a = <<-EOT\n    one {\n      two\n  EOT\nb = <<EOT\nx }\nEOT\n');
    assert.equal(stringValue(body.attributes.a), 'one {\n  two');
    assert.equal(stringValue(body.attributes.b), 'x }');
  });

  test('string escapes, including literal ${ written as $${', () => {
    assert.equal(stringValue('"a \\"b\\" $${c} %%{d}\\n"'), 'a "b" ${c} %{d}\n');
    assert.throws(() => stringValue('var.x'), /not a string literal/);
  });

  test('what it cannot read is an error, not a silent gap', () => {
    assert.throws(() => parseBody('variable "x" {\n  type = object({\n}'), /unclosed/);
    assert.throws(() => parseBody('a = "unterminated\n'), /newline in a quoted string/);
    assert.throws(() => parseBody('variable "x" oops {}'), /expected '=' or '{'/);
  });
});

describe('tables', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'terraform-docs-'));
  writeFileSync(path.join(dir, 'variables.tf'), `variable "name" {
  description = "The name | with a pipe and <placeholder>, \`<code>\`."
  type        = string
}

variable "opts" {
  description = <<-EOT
    Two
    lines.
  EOT
  type = object({
    a = optional(number, 1)
  })
  default = null
}
`);
  writeFileSync(path.join(dir, 'outputs.tf'), 'output "id" {\n  description = "The id."\n  value       = aws_thing.this.id\n}\n');
  writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_thing" "this" {}\ndata "aws_region" "current" {}\n');
  writeFileSync(path.join(dir, 'versions.tf'), 'terraform {\n  required_version = ">= 1.7"\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = ">= 5.37"\n    }\n  }\n}\n');
  const docs = renderDocs(readModule(dir));

  test('requirements, resources, inputs (required, defaults, multi-line types) and outputs', () => {
    assert.match(docs, /^\| terraform \| `>= 1\.7` \|$/m);
    assert.match(docs, /^\| aws \(hashicorp\/aws\) \| `>= 5\.37` \|$/m);
    assert.match(docs, /^\| `aws_thing\.this` \| resource \|$/m);
    assert.match(docs, /^\| `data\.aws_region\.current` \| data source \|$/m);
    assert.match(docs, /^\| <a name="input_name"><\/a> `name` \| The name \\\| with a pipe and &lt;placeholder&gt;, `<code>`\. \| `string` \| n\/a \| yes \|$/m);
    assert.match(docs, /^\| <a name="input_opts"><\/a> `opts` \| Two lines\. \| <pre>object\(\{<br\/>  a = optional\(number, 1\)<br\/>\}\)<\/pre> \| `null` \| no \|$/m);
    assert.match(docs, /^\| <a name="output_id"><\/a> `id` \| The id\. \|$/m);
  });

  test('the prose around the markers is kept; missing markers are an error', () => {
    const readme = `# m\n\nIntro.\n\n${BEGIN}\nold\n${END}\n\n## Tests\n`;
    assert.equal(updateReadme(readme, docs), `# m\n\nIntro.\n\n${BEGIN}\n${docs}\n${END}\n\n## Tests\n`);
    assert.throws(() => updateReadme('# m\n', docs), /needs exactly one/);
  });

  test('a variable without a description is an error', () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'terraform-docs-'));
    writeFileSync(path.join(bad, 'variables.tf'), 'variable "x" {\n  type = string\n}\n');
    assert.throws(() => readModule(bad), /variable "x" has no description/);
  });
});

describe('our modules', () => {
  for (const module of ['ecs-environment', 'ecs-environment-ref', 'ecs-service', 'portal-access', 'portal-events']) {
    test(`${module}: every variable and output is in the tables`, () => {
      const dir = path.join(modulesDir, module);
      const declared = (file, kind) =>
        [...readFileSync(path.join(dir, file), 'utf8').matchAll(new RegExp(`^${kind} "([^"]+)"`, 'gm'))].map(m => m[1]);
      const read = readModule(dir);
      assert.deepEqual(read.inputs.map(v => v.name), declared('variables.tf', 'variable'));
      assert.deepEqual(read.outputs.map(o => o.name), declared('outputs.tf', 'output'));
      assert.ok(read.inputs.every(v => v.description.length > 10), 'every input described');
    });
  }
});
