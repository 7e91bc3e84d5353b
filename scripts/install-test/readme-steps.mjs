// The install steps of the plugins' READMEs, read from the READMEs (their one source) and applied
// to a fresh app made by @backstage/create-app. A step is the fenced block right after a marker:
//
//   <!-- install:shell -->       commands, run in the app's root as they are
//   <!-- install:backend -->     TypeScript for packages/backend/src/index.ts: imports go to the
//                                top, the rest before `backend.start();`; a statement the file
//                                already has (`backend.add(import('...scaffolder-backend'))`) is
//                                not added twice
//   <!-- install:app-legacy -->  TSX for a legacy-frontend app: imports, then fragments, each headed
//                                by a `// <place>` comment that names where it goes (PLACES below:
//                                sidebar, app routes (App.tsx), overview, group page, service
//                                entity page); an imported name goes to the files whose fragments
//                                use it, unless they import it already
//   <!-- install:config -->      YAML merged into app-config.yaml (objects merged, lists appended)
//   <!-- install:file <path> --> a new file of the app at <path> (relative to its root, inside
//                                it), e.g. a backend module the reader writes from the README's
//                                example; an existing file is not overwritten
//
// Blocks without a marker (alternatives, examples) are not applied.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MARKER =
  /<!--\s*install:([a-z-]+)(?:\s+([^\s>]+))?\s*-->\s*\n(?:[ \t]*\n)*```[a-z]*\n([\s\S]*?)\n```/g;

/** The marked steps of one README, in order: `{ kind, body, source }`, and `file` for a file step. */
export function readmeSteps(readmeFile) {
  const text = readFileSync(readmeFile, 'utf8');
  return [...text.matchAll(MARKER)].map(([, kind, file, body]) => ({
    kind,
    body,
    source: readmeFile,
    ...(file && { file }),
  }));
}

/** Applies an `install:file <path>` step: writes the block as a new file of the app. */
export function applyFileStep(appDir, file = '', body) {
  const target = path.resolve(appDir, file);
  if (path.isAbsolute(file) || !target.startsWith(`${appDir}/`)) {
    throw new Error(
      `install:file needs a path inside the app, relative to its root: "${file}"`,
    );
  }
  if (existsSync(target)) throw new Error(`${file} exists in the app already`);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${body}\n`);
}

/**
 * Where a legacy-app fragment goes in create-app's legacy template, by its `// <place>` header:
 * the first place whose words the header has (so "App.tsx: the scaffolder route with the
 * service-name field" is a route, not the service page).
 */
const ENTITY_PAGE = 'packages/app/src/components/catalog/EntityPage.tsx';
const PLACES = [
  {
    place: 'sidebar',
    matches: /sidebar|root\.tsx/,
    file: 'packages/app/src/components/Root/Root.tsx',
    anchor: { after: ['<SidebarItem icon={HomeIcon} to="catalog"'] },
  },
  {
    // A <Route> whose path App.tsx has already (/create for a field extension) replaces it.
    place: 'app routes',
    matches: /route|app\.tsx|org|scaffolder|field/,
    file: 'packages/app/src/App.tsx',
    anchor: { before: ['<FlatRoutes>', '</FlatRoutes>'] },
  },
  {
    place: 'overview',
    matches: /overview/,
    file: ENTITY_PAGE,
    // The first item of overviewContent's grid.
    anchor: { after: ['const overviewContent = (', '<Grid container'] },
  },
  {
    place: 'group page',
    matches: /group|team/,
    file: ENTITY_PAGE,
    anchor: { before: ['const groupPage = (', '</EntityLayout>'] },
  },
  {
    place: 'service entity page',
    matches: /service/,
    file: ENTITY_PAGE,
    anchor: { before: ['const serviceEntityPage = (', '</EntityLayout>'] },
  },
];

/**
 * Statements of a code block: `{ import }`, `{ code }` (a statement, or a JSX fragment ended by a
 * blank line) and `{ comment }` (a comment line between them).
 */
function statements(body) {
  const result = [];
  let current = [];
  let depth = 0;
  const flush = () => {
    const code = current.join('\n');
    if (code.trim())
      result.push(/^import\s/.test(code) ? { import: code } : { code });
    current = [];
    depth = 0;
  };
  for (const line of body.split('\n')) {
    if (depth <= 0 && (line.trim() === '' || line.trim().startsWith('//'))) {
      flush();
      if (line.trim())
        result.push({ comment: line.trim().replace(/^\/\/\s*/, '') });
      continue;
    }
    current.push(line);
    depth +=
      (line.match(/[({[]/g) ?? []).length -
      (line.match(/[)}\]]/g) ?? []).length;
    if (depth <= 0 && /;\s*$/.test(line)) flush();
  }
  flush();
  return result;
}

const squash = s => s.replace(/\s+/g, '');

/** Line index of the anchor: each string found in turn, starting after the previous one. */
function anchorLine(lines, sequence, file) {
  let index = -1;
  for (const needle of sequence) {
    index = lines.findIndex((l, i) => i > index && l.includes(needle));
    if (index === -1)
      throw new Error(
        `${file} has no "${needle}" (create-app's template changed?)`,
      );
  }
  return index;
}

function insertAt(file, sequence, position, text) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const path = text.match(/^\s*<Route\s+path="([^"]+)"/)?.[1];
  const same = lines.findIndex(
    l => path && l.includes(`<Route path="${path}"`),
  );
  if (same !== -1) {
    if (!lines[same].trim().endsWith('/>')) {
      throw new Error(
        `${file}: the route ${path} spans lines; cannot replace it`,
      );
    }
    lines.splice(same, 1, text);
  } else {
    const index =
      anchorLine(lines, sequence, file) + (position === 'after' ? 1 : 0);
    lines.splice(index, 0, text);
  }
  writeFileSync(file, lines.join('\n'));
}

function addImports(file, imports) {
  if (imports.length === 0) return;
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, `${imports.join('\n')}\n${text}`);
}

/** Applies an `install:backend` step to the app's packages/backend/src/index.ts. */
export function applyBackendStep(appDir, body) {
  const file = path.join(appDir, 'packages/backend/src/index.ts');
  const imports = [];
  for (const s of statements(body)) {
    if (s.import) imports.push(s.import);
    if (!s.code) continue;
    if (squash(readFileSync(file, 'utf8')).includes(squash(s.code))) continue;
    insertAt(file, ['backend.start();'], 'before', s.code);
  }
  addImports(
    file,
    imports.filter(
      i => !squash(readFileSync(file, 'utf8')).includes(squash(i)),
    ),
  );
}

/** The names an import statement brings in. */
function importedNames(statement) {
  const braces = statement.match(/\{([^}]*)\}/);
  const names = braces
    ? braces[1].split(',')
    : [statement.match(/^import\s+(\w+)\s+from/)?.[1]];
  return names
    .map(n =>
      n
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    )
    .filter(Boolean);
}

/** Applies an `install:app-legacy` step to the app's packages/app (legacy frontend system). */
export function applyLegacyAppStep(appDir, body) {
  const imports = [];
  const fragments = [];
  for (const s of statements(body)) {
    if (s.import) imports.push(s.import);
    else if (s.comment !== undefined)
      fragments.push({ header: s.comment, code: [] });
    else if (s.code) {
      if (!fragments.length)
        throw new Error(`a fragment without a "// <place>" header: ${s.code}`);
      fragments.at(-1).code.push(s.code);
    }
  }
  const used = new Map(); // file → code inserted into it
  for (const { header, code } of fragments.filter(f => f.code.length)) {
    const target = PLACES.find(p => p.matches.test(header.toLowerCase()));
    if (!target) {
      throw new Error(
        `README fragment "// ${header}": unknown place (known: ${PLACES.map(
          p => p.place,
        ).join(', ')})`,
      );
    }
    const [position, sequence] = Object.entries(target.anchor)[0];
    const file = path.join(appDir, target.file);
    insertAt(file, sequence, position, code.join('\n'));
    used.set(file, `${used.get(file) ?? ''}\n${code.join('\n')}`);
  }
  for (const [file, code] of used) {
    const present = new Set(
      [...readFileSync(file, 'utf8').matchAll(/^import[^;]*;/gm)].flatMap(
        ([statement]) => importedNames(statement),
      ),
    );
    const lines = imports.flatMap(statement => {
      const names = importedNames(statement).filter(
        n => !present.has(n) && new RegExp(`\\b${n}\\b`).test(code),
      );
      const from = statement.match(/from\s+(['"][^'"]+['"])/)[1];
      if (names.length === 0) return [];
      return /^import\s+\w+\s+from/.test(statement)
        ? [statement]
        : [`import { ${names.join(', ')} } from ${from};`];
    });
    addImports(file, lines);
  }
}

/** Objects merged, lists appended, other values replaced. */
export function mergeConfig(base, extra) {
  if (Array.isArray(base) && Array.isArray(extra)) return [...base, ...extra];
  if (isObject(base) && isObject(extra)) {
    const out = { ...base };
    for (const [k, v] of Object.entries(extra))
      out[k] = k in out ? mergeConfig(out[k], v) : v;
    return out;
  }
  return extra;
}

const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);
