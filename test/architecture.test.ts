/** The layout of src/core holds: every concern folder is reached only through its index.ts, dependencies between
 * concerns run one way, the engine imports no adapter and no `vscode`, no module of src/ is part of an import
 * cycle, and nothing the browser bundles reach imports a Node built-in. Import specifiers are read with a scan of the source (static, `export … from`, dynamic `import()`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(__dirname, '..');
const core = join(root, 'src/core');

/** What each concern of src/core may import (besides itself). Tests beside their source may reach further. */
const ALLOWED: Record<string, string[]> = {
  common: [],
  files: ['common'],
  parse: ['common', 'files'],
  catalog: ['common', 'files', 'parse'],
  lint: ['common', 'files', 'parse', 'catalog'],
  language: ['common', 'files', 'parse', 'catalog', 'lint'],
  probe: ['common', 'files', 'parse', 'catalog', 'lint'],
  diff: ['common', 'files', 'parse', 'catalog', 'lint'],
  export: ['common', 'files', 'parse', 'catalog', 'lint'],
  fix: ['common', 'files', 'parse', 'catalog', 'lint'],
  import: ['common', 'files', 'parse', 'catalog', 'lint', 'init'],
  init: ['common', 'files', 'parse', 'catalog', 'lint'],
  report: ['common', 'files', 'parse', 'catalog', 'lint', 'diff'],
  drift: ['common', 'files', 'parse', 'catalog', 'lint', 'diff', 'import'],
  feeds: ['common', 'files', 'parse', 'catalog'],
};

interface Import {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!['node_modules', 'out', '.tools', 'workspace'].includes(name)) sourceFiles(path, found);
    } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((path) => existsSync(path) && statSync(path).isFile());
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): (Import | { from: string; module: string; line: number })[] {
  const text = readFileSync(file, 'utf8');
  const found: (Import | { from: string; module: string; line: number })[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[3] ?? match[4] ?? match[5];
    const line = text.slice(0, match.index).split('\n').length + (match[0].match(/^\s*/)?.[0].split('\n').length ?? 1) - 1;
    if (!specifier.startsWith('.')) {
      found.push({ from: file, module: specifier, line });
      continue;
    }
    const to = resolveImport(file, specifier);
    if (to) found.push({ from: file, to, line, typeOnly: match[2] !== undefined });
  }
  return found;
}

const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'test'))];
const imports = files.flatMap(importsOf);
const internal = imports.filter((entry): entry is Import => 'to' in entry);
const where = (entry: { from: string; line: number }) => `${relative(root, entry.from)}:${entry.line}`;
const inside = (file: string, folder: string) => file.startsWith(folder + sep);
const concernOf = (file: string) => (inside(file, core) ? relative(core, file).split(sep)[0] : undefined);
const isTest = (file: string) => file.endsWith('.test.ts') || file.endsWith('.test-helpers.ts') || inside(file, join(root, 'test'));

test('the import scan sees the imports it checks', () => {
  // Guards the checks below against a scan that silently finds nothing.
  const engine = join(core, 'lint/engine.ts');
  assert.ok(internal.some((entry) => entry.from === engine && entry.to === join(core, 'parse/index.ts')), 'lint/engine.ts imports ../parse');
  assert.ok(internal.some((entry) => entry.from === join(root, 'src/cli/lint.ts') && entry.to === join(core, 'lint/index.ts')));
  assert.ok(internal.length > 300, `${internal.length} imports`);
});

test('src/core has no loose modules: each concern has its folder', () => {
  const loose = readdirSync(core).filter((name) => statSync(join(core, name)).isFile());
  assert.deepEqual(loose, []);
  for (const folder of readdirSync(core)) assert.ok(existsSync(join(core, folder, 'index.ts')), `src/core/${folder} has an index.ts`);
  assert.deepEqual(readdirSync(core).sort(), Object.keys(ALLOWED).sort(), 'every concern folder is listed in ALLOWED');
});

test('code outside a folder of src/core imports only its index.ts', () => {
  const reaches: string[] = [];
  for (const entry of internal) {
    if (!inside(entry.to, core)) continue;
    const folders = relative(core, dirname(entry.to)).split(sep).filter(Boolean);
    for (let depth = 1; depth <= folders.length; depth++) {
      const folder = join(core, ...folders.slice(0, depth));
      if (inside(entry.from, folder)) continue;
      // generated/ (scripts/generate.mjs: validators, built-in catalogs) is build output its parent imports, not a concern.
      if (folders[depth - 1] === 'generated' && inside(entry.from, dirname(folder))) continue;
      if (entry.to !== join(folder, 'index.ts')) reaches.push(`${where(entry)} reaches past ${relative(root, folder)}/index.ts to ${relative(root, entry.to)}`);
      break;
    }
  }
  assert.deepEqual(reaches, []);
});

test('dependencies between the concerns of src/core run one way, and the engine imports no adapter', () => {
  const wrong: string[] = [];
  for (const entry of imports) {
    const concern = concernOf(entry.from);
    if (concern === undefined) continue;
    if ('module' in entry) {
      if (entry.module === 'vscode' || entry.module.startsWith('vscode-languageserver')) wrong.push(`${where(entry)} imports ${entry.module}`);
      continue;
    }
    const target = concernOf(entry.to);
    if (target === concern || isTest(entry.from)) continue;
    if (target === undefined) {
      if (inside(entry.to, join(root, 'src'))) wrong.push(`${where(entry)} imports the adapter ${relative(root, entry.to)}`);
    } else if (!ALLOWED[concern].includes(target)) wrong.push(`${where(entry)}: ${concern} may not import ${target}`);
  }
  assert.deepEqual(wrong, []);
});

test('no module of src/ is part of an import cycle (type-only imports included)', () => {
  const edges = new Map<string, string[]>();
  for (const entry of internal) {
    if (isTest(entry.from) || !inside(entry.to, join(root, 'src'))) continue;
    edges.set(entry.from, [...(edges.get(entry.from) ?? []), entry.to]);
  }
  // Tarjan's strongly connected components; a component of more than one module is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of edges.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(relative(root, member));
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

/** The module the browser bundles take for a file: its `X.browser.ts` sibling when there is one (scripts/build.mjs
 * resolves the same way for dist/browser/). */
function browserVariant(file: string): string {
  const sibling = file.replace(/\.ts$/, '.browser.ts');
  return file.endsWith('.ts') && !file.endsWith('.browser.ts') && existsSync(sibling) ? sibling : file;
}

test('no module reachable from the browser entry points imports a Node built-in', () => {
  const builtins = new Set(builtinModules);
  const entries = ['src/server/browser.ts', 'src/extension/browser.ts'].map((path) => join(root, path));
  const reached = new Set<string>();
  const pending = [...entries];
  const wrong: string[] = [];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const entry of importsOf(file)) {
      if ('module' in entry) {
        if (entry.module.startsWith('node:') || builtins.has(entry.module.split('/')[0])) wrong.push(`${where(entry)} imports ${entry.module}`);
      } else if (!entry.typeOnly) pending.push(browserVariant(entry.to));
    }
  }
  // The walk follows the browser's faces into the engine (and so would notice a face that reaches Node again).
  for (const module of ['src/core/lint/engine.ts', 'src/core/lint/index.browser.ts', 'src/core/common/psl-rules.browser.ts', 'src/server/language-server.ts', 'src/extension/client.ts']) {
    assert.ok(reached.has(join(root, module)), `the walk reaches ${module}`);
  }
  assert.deepEqual(wrong, []);
});
