// Bundles the CLI, the language server and the extension client with esbuild. Each Node bundle is a single
// CommonJS file; schemas/ and catalogs/ stay beside dist/ and are read at run time (the package root),
// and the Public Suffix List is copied to dist/psl-rules.json (see build-psl-rules.ts). What derives from schemas/,
// catalogs/ and the psl package is generated first (generate.mjs) and bundled: no bundle compiles a schema or parses
// a built-in catalog.
// The browser bundles (dist/browser/: the web extension and its language server, a web worker) take, for each
// module `X.ts` with a sibling `X.browser.ts`, the sibling (as a package.json `browser` map would): the folders'
// index.browser.ts leave out what needs Node, and the package's files come built in (`bundled:*` modules).
// With platform 'browser', esbuild fails on any Node built-in left reachable.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './generate.mjs';

const production = process.argv.includes('--production');
/** The Public Suffix List's rules as generate.mjs writes them (scripts/build-psl-rules.ts). */
const PSL_RULES = 'src/core/common/generated/psl-rules.json';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/** The module the browser bundles take for `path`: its `.browser.ts` sibling when there is one. */
function browserVariant(path) {
  const sibling = path.replace(/\.ts$/, '.browser.ts');
  return path.endsWith('.ts') && !path.endsWith('.browser.ts') && existsSync(sibling) ? sibling : path;
}

const bundled = {
  'bundled:psl-rules': () => JSON.parse(readFileSync(PSL_RULES, 'utf8')),
  'bundled:catalogs': () =>
    readdirSync('catalogs')
      .filter((name) => /\.catalog\.ya?ml$/.test(name))
      .sort()
      .map((name) => ({ name, text: readFileSync(join('catalogs', name), 'utf8') })),
};

/** Marks our own modules free of side effects on import, so that one imported only for a name the bundle does not use
 * is dropped with what it imports (the client needs the parse face's `markedKind`, not YAML or Ajv); with `browser`,
 * each module is also replaced by its `.browser.ts` sibling and the `bundled:*` modules are built in. */
const ourModules = ({ browser }) => ({
  name: browser ? 'browser-modules' : 'pure-modules',
  setup(build) {
    build.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData?.resolving || build.initialOptions.external?.includes(args.path)) return undefined;
      const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: { resolving: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { ...resolved, path: browser ? browserVariant(resolved.path) : resolved.path, sideEffects: resolved.path.includes('node_modules') ? resolved.sideEffects : false };
    });
    if (!browser) return;
    build.onResolve({ filter: /^bundled:/ }, (args) => ({ path: args.path, namespace: 'bundled' }));
    build.onLoad({ filter: /.*/, namespace: 'bundled' }, (args) => ({ contents: JSON.stringify(bundled[args.path]()), loader: 'json' }));
  },
});

const browser = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  plugins: [ourModules({ browser: true })],
  // The worker and the web extension host have no `process`; the LSP libraries read process.env.NODE_ENV only.
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

generate();
await Promise.all([
  // dist/cli.js runs dist/cli-main.js with the code cache recorded below (src/cli/bin.ts).
  build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js' }),
  // Beside dist/cli.js: `allowlist lint` starts it as a worker thread for repositories of many files (src/cli/lint-files.ts).
  build({ ...common, entryPoints: ['src/cli/lint-worker.ts'], outfile: 'dist/lint-worker.js' }),
  build({ ...common, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js' }),
  // Activation loads the language client only; the commands' code (src/extension/deferred.ts) is required on first use.
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './extension-commands.js'], plugins: [ourModules({ browser: false })] }),
  build({ ...common, entryPoints: ['src/extension/deferred.ts'], outfile: 'dist/extension-commands.js', external: ['vscode'] }),
  build({ ...browser, entryPoints: ['src/server/browser.ts'], outfile: 'dist/browser/server.js' }),
  // The web extension host loads extensions as CommonJS modules (`exports.activate`), with `vscode` provided.
  build({ ...browser, format: 'cjs', entryPoints: ['src/extension/browser.ts'], outfile: 'dist/browser/extension.js', external: ['vscode'] }),
]);
chmodSync('dist/cli.js', 0o755);
copyFileSync(PSL_RULES, 'dist/psl-rules.json');
recordCodeCache();

/** Ends dist/cli-main.js with its key (a hash of the bundle, which its caches must begin with) and records its caches,
 * each in a process of its own: the bundle linting the bundled examples, and probing a port of its own, so that each
 * cache holds what its commands compile, not only the top level (scripts/record-code-cache.cjs). */
function recordCodeCache() {
  const bundle = 'dist/cli-main.js';
  const source = readFileSync(bundle, 'utf8');
  writeFileSync(bundle, `${source}\n// code-cache-key: ${createHash('sha256').update(source).digest('hex').slice(0, 32)}\n`);
  for (const kind of ['lint', 'probe']) {
    const recording = spawnSync(process.execPath, ['scripts/record-code-cache.cjs', kind], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (recording.status !== 0) throw new Error(`recording ${bundle}'s ${kind} code cache failed (exit ${recording.status}): ${recording.stderr}`);
  }
}
