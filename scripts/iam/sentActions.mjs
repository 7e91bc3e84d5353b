// The AWS actions a plugin's source sends (scripts/check-iam.mjs): every `new <X>Command(` in
// plugins/<plugin>/src (tests and test utilities excluded) whose <X>Command is imported from an
// @aws-sdk/client-* package, as `<prefix>:<X>`; the prefix is the client's SigV4 signing name (read
// from the installed package). Plus the actions AWS authorises on top of a call (DEPENDENT_ACTIONS).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Actions AWS authorises in addition to the call itself (the "Dependent actions" and condition
 * keys of the Service Authorization Reference): RegisterTaskDefinition passes the task and
 * execution roles (iam:PassRole) and, with tags, is authorised as ecs:TagResource too.
 */
const DEPENDENT_ACTIONS = {
  'ecs:RegisterTaskDefinition': ['iam:PassRole', 'ecs:TagResource'],
};

/**
 * API operations that IAM authorises as another action (batch operations have no IAM action of
 * their own: SQS's DeleteMessageBatch is authorised as sqs:DeleteMessage).
 */
export const AUTHORISED_AS = {
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

/** SigV4 signing names whose IAM action prefix differs. */
const IAM_PREFIX_OF_SIGNING_NAME = { monitoring: 'cloudwatch', tagging: 'tag' };

/** The IAM prefix of an @aws-sdk/client-* package, from its SigV4 signing name. */
function iamPrefix(pkg, fromDir) {
  const require = createRequire(path.join(fromDir, 'package.json'));
  const root = path.dirname(require.resolve(`${pkg}/package.json`));
  const auth = readFileSync(
    path.join(root, 'dist-es/auth/httpAuthSchemeProvider.js'),
    'utf8',
  );
  const names = [
    ...new Set(
      [...auth.matchAll(/signingProperties:\s*\{\s*name:\s*"([^"]+)"/g)].map(
        m => m[1],
      ),
    ),
  ];
  if (names.length !== 1)
    throw new Error(
      `cannot read the signing name of ${pkg} (found ${JSON.stringify(names)})`,
    );
  return IAM_PREFIX_OF_SIGNING_NAME[names[0]] ?? names[0];
}

function sourceFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory())
      return name === '__testUtils__' ? [] : sourceFiles(file);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$|^setupTests\.ts$/.test(name)
      ? [file]
      : [];
  });
}

/** Every AWS action a plugin's source sends: { action: [file:line, ...] }. */
export function actionsSentBy(pluginDir) {
  const sent = {};
  const prefixes = {};
  for (const file of sourceFiles(path.join(pluginDir, 'src'))) {
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const commands = new Map(); // local name => action
    for (const statement of source.statements) {
      if (
        !ts.isImportDeclaration(statement) ||
        statement.importClause?.isTypeOnly
      )
        continue;
      const pkg = statement.moduleSpecifier.text;
      const bindings = statement.importClause?.namedBindings;
      if (
        !pkg.startsWith('@aws-sdk/client-') ||
        !bindings ||
        !ts.isNamedImports(bindings)
      )
        continue;
      for (const spec of bindings.elements) {
        const imported = (spec.propertyName ?? spec.name).text;
        if (spec.isTypeOnly || !/^[A-Z]\w*Command$/.test(imported)) continue;
        prefixes[pkg] ??= iamPrefix(pkg, pluginDir);
        commands.set(
          spec.name.text,
          `${prefixes[pkg]}:${imported.slice(0, -'Command'.length)}`,
        );
      }
    }
    const visit = node => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        commands.has(node.expression.text)
      ) {
        const operation = commands.get(node.expression.text);
        const action = AUTHORISED_AS[operation] ?? operation;
        const line =
          source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        for (const a of [action, ...(DEPENDENT_ACTIONS[action] ?? [])]) {
          (sent[a] ??= []).push(`${path.relative(repoRoot, file)}:${line}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sent;
}
