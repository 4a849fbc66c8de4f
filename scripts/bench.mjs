// `npm run bench`: the engine's benchmarks (issue 5). Prints a table and writes BENCHMARKS.md with the
// machine, the date and medians of several runs; `-- --json` prints the figures as one JSON object on
// stdout instead (the table then goes to stderr). `-- --quick` runs fewer repetitions (a smoke run).
//
// Measured, side by side in one process: a full lint of generated allowlists (100, 1,000, 10,000 rules)
// split into parse / schema / rules, its memory, yaml-language-server's schema validation of the same
// text, the bare `yaml` parseDocument (the floor), and a re-lint after a one-character edit in the
// 10,000-rule file (the editor case). Then, in their own processes: the worst-case shapes of issue 9 (many
// sources to one host, one-line flow rules, 100,000 ignore comments: time and peak RSS, beside the bare yaml parse), the extension's activation time
// with a fake `vscode` module, bundle sizes, a 1,000-rule file linted by the browser's language server in a Web Worker
// of headless Chromium beside Node (scripts/bench/worker.mjs), and a 500-port probe sweep by the engine and by the built
// CLI against nmap -sT inside a network namespace of the bench's own (iptables drops 101 of the ports; a few listen). Last, by the built CLI in processes of
// its own: a fleet of 500 generated sites linted (on every core and on one) and reported, beside ajv-cli and Spectral
// validating the same files against our schema (installed into .bench/tools from scripts/bench/tools on first use),
// and the cold `allowlist lint` of the 10,000-rule file (its time and peak RSS) against the in-process lint and
// against yaml-language-server validating the same file as a process.
import { build } from 'esbuild';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serverHeapBench } from './bench/server-heap.mjs';
import { workerLintBench } from './bench/worker.mjs';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const quick = args.includes('--quick');
const log = (line = '') => (asJson ? process.stderr : process.stdout).write(`${line}\n`);

// Heap figures need a collection before each reading: re-run with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', new URL(import.meta.url).pathname, ...args], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const require = createRequire(import.meta.url);
// Other work on the machine skews every figure: the load average is reported beside them.
const loadAtStart = os.loadavg()[0];
const benchDir = join(root, '.bench');
mkdirSync(benchDir, { recursive: true });
const coreBundle = join(benchDir, 'bench-core.cjs');
await build({ entryPoints: [join(root, 'scripts/bench/core.ts')], outfile: coreBundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
const core = require(coreBundle);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (ms) => Math.round(ms * 100) / 100;
const fmtMs = (ms) => (ms === undefined || ms === null ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const fmtBytes = (bytes) => (bytes < 0 ? `−${fmtBytes(-bytes)}` : bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(0)} kB` : `${bytes} B`);
const OPTIONS = core.BENCH_OPTIONS;

// ---------------------------------------------------------------------------------------------------
// yaml-language-server, through its language-service API, with our schema for *.allowlist.yaml.

const schemaPath = join(root, 'schemas', 'allowlist.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const yls = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');
const ylsVersion = JSON.parse(readFileSync(require.resolve('yaml-language-server/package.json'), 'utf8')).version;
const yamlVersion = JSON.parse(readFileSync(require.resolve('yaml/package.json'), 'utf8')).version;
const languageService = yls.getLanguageService({
  schemaRequestService: async (uri) => (uri === pathToFileURL(schemaPath).href ? JSON.stringify(schema) : Promise.reject(new Error(`no schema at ${uri}`))),
  workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
});
languageService.configure({ validate: true, schemas: [{ uri: pathToFileURL(schemaPath).href, fileMatch: ['*.allowlist.yaml'], schema }] });
let ylsVersionCounter = 0;
/** yaml-language-server re-parses on a new document version; each run gets a fresh version so nothing is cached. */
async function ylsValidate(text) {
  const document = TextDocument.create('file:///bench/bench.allowlist.yaml', 'yaml', ++ylsVersionCounter, text);
  return languageService.doValidation(document, false);
}

// ---------------------------------------------------------------------------------------------------
// Lint sizes.

const sizes = [100, 1000, 10_000];
const runsFor = (rules) => (quick ? 3 : rules >= 10_000 ? 7 : rules >= 1000 ? 11 : 21);
const results = { sizes: {} };

// Warm up every path once (Ajv compiles schemas lazily, the catalogs load on first use).
{
  const warm = core.warmUpText();
  for (let i = 0; i < 3; i++) {
    new core.Linter().lint(warm, OPTIONS);
    await ylsValidate(warm);
    core.parseDocument(warm);
  }
}

for (const rules of sizes) {
  const text = core.generateAllowlist({ rules, seed: 1 });
  const runs = runsFor(rules);
  const lint = [];
  const parse = [];
  const schemaMs = [];
  const rulesMs = [];
  const yamlParse = [];
  const ylsMs = [];
  let findings = 0;
  let ylsDiagnostics = 0;
  for (let run = 0; run < runs; run++) {
    globalThis.gc();
    let started = performance.now();
    const result = new core.Linter().lint(text, OPTIONS);
    lint.push(performance.now() - started);
    parse.push(result.timings.parseMs - (result.timings.schemaMs ?? 0));
    schemaMs.push(result.timings.schemaMs ?? 0);
    rulesMs.push(result.timings.rulesMs);
    findings = result.findings.length;

    globalThis.gc();
    started = performance.now();
    core.parseDocument(text);
    yamlParse.push(performance.now() - started);

    globalThis.gc();
    started = performance.now();
    ylsDiagnostics = (await ylsValidate(text)).length;
    ylsMs.push(performance.now() - started);
  }
  // Memory: what a Linter holds after linting the file (its caches and the result), and the process's RSS.
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const linter = new core.Linter();
  const kept = linter.lint(text, OPTIONS);
  globalThis.gc();
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;
  const rss = process.memoryUsage().rss;
  void kept;

  const figure = {
    rules,
    bytes: Buffer.byteLength(text),
    runs,
    findings,
    lintMs: round(median(lint)),
    parseMs: round(median(parse)),
    schemaMs: round(median(schemaMs)),
    rulesMs: round(median(rulesMs)),
    yamlParseMs: round(median(yamlParse)),
    ylsMs: round(median(ylsMs)),
    ylsDiagnostics,
    heapDeltaBytes: heapDelta,
    rssBytes: rss,
  };
  figure.ylsRatio = round(figure.ylsMs / figure.lintMs);
  figure.yamlRatio = round(figure.lintMs / figure.yamlParseMs);
  results.sizes[rules] = figure;
  log(`lint ${rules} rules: ${fmtMs(figure.lintMs)} ms (yaml-language-server ${fmtMs(figure.ylsMs)} ms, yaml.parseDocument ${fmtMs(figure.yamlParseMs)} ms)`);
}

// ---------------------------------------------------------------------------------------------------
// Re-lint after a one-character edit inside one rule of the 10,000-rule file (same Linter, as the editor), in a process
// of its own as the language server is (scripts/bench/keystroke.cjs): after the full lint on open, the Linter makes
// what the first re-lint needs (`prepareForEdits`, which the server runs when idle after a lint). Edits follow one
// another with no forced collection between them, as keystrokes do: the median is the typical re-lint, p95 and the
// mean include the garbage collector's pauses as they fall. A full collection forced just before a re-lint leaves the
// next lint cold and slower; that case is measured on its own.

{
  const runs = quick ? 11 : 61;
  const child = spawnSync(process.execPath, ['--expose-gc', join(root, 'scripts/bench/keystroke.cjs'), coreBundle, '10', String(runs), String(quick ? 3 : 11)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`scripts/bench/keystroke.cjs failed: ${child.stderr}`);
  const { prepareMs, warmUpEdits, edits, afterGcMs } = JSON.parse(child.stdout);
  const times = edits.map((edit) => edit.ms);
  const p95 = [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)];
  results.relint = {
    rules: 10_000,
    runs,
    ms: round(median(times)),
    p95Ms: round(p95),
    meanMs: round(times.reduce((sum, ms) => sum + ms, 0) / times.length),
    parseMs: round(median(edits.map((edit) => edit.parseMs))),
    rulesMs: round(median(edits.map((edit) => edit.rulesMs))),
    afterFullGcMs: round(median(afterGcMs)),
    afterFullGcRuns: afterGcMs.length,
    prepareMs: round(prepareMs),
    warmUpMs: warmUpEdits.map(round),
  };
  log(`re-lint after a one-character edit (10,000 rules): ${fmtMs(results.relint.ms)} ms (p95 ${fmtMs(results.relint.p95Ms)} ms, after a forced full GC ${fmtMs(results.relint.afterFullGcMs)} ms)`);
}

// ---------------------------------------------------------------------------------------------------
// The language server's heap over a minute of edits of the 10,000-rule file (issue 16, target 6): the server in this
// process over in-memory streams (scripts/bench/server-heap.mjs); flat when the second half of the minute adds
// (almost) nothing: caches fill in the first half, a leak keeps growing with every edit.

{
  const figure = await serverHeapBench({ core, text: core.generateAllowlist({ rules: 10_000, seed: 1 }), seconds: quick ? 10 : 60 });
  figure.secondHalfGrowthBytes = figure.heapAtEndBytes - figure.heapAtHalfBytes;
  figure.secondHalfGrowthShare = figure.secondHalfGrowthBytes / figure.heapAtHalfBytes;
  results.serverHeap = figure;
  log(`language server heap over ${figure.seconds} s of edits (${figure.edits}): ${fmtBytes(figure.heapAtStartBytes)} -> ${fmtBytes(figure.heapAtHalfBytes)} -> ${fmtBytes(figure.heapAtEndBytes)}`);
}

// ---------------------------------------------------------------------------------------------------
// Worst cases (issue 9): shapes reported as growing with the square of the input. Each in its own process
// (scripts/bench/worst-case.cjs), for its peak RSS; the bare `yaml` parse of the same text beside it.

{
  const shapes = {
    manySources: '35,000 rules to one host from distinct sources (`shadowed-rule`)',
    oneLineFlow: '99,000 flow-style rules on one line (layout scan, parse)',
    ignoreComments: '100,000 ignore comments: 80,000 stacked above one line, 10,000 items with one above and one trailing (ignore pass)',
  };
  results.worstCases = {};
  for (const [shape, label] of Object.entries(shapes)) {
    // One process a run: the median time and the median peak RSS.
    const measure = (mode) => {
      const runs = [];
      for (let run = 0; run < (quick ? 1 : 3); run++) {
        const child = spawnSync(process.execPath, [join(root, 'scripts/bench/worst-case.cjs'), coreBundle, shape, mode], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(`worst case ${shape} (${mode}) failed: ${child.stderr.split('\n')[0]}`);
        runs.push(JSON.parse(child.stdout));
      }
      return { ...runs[0], ms: median(runs.map((r) => r.ms)), peakRssBytes: median(runs.map((r) => r.peakRssBytes)) };
    };
    const lint = measure('lint');
    const yamlOnly = measure('yaml');
    results.worstCases[shape] = { label, bytes: lint.bytes, findings: lint.findings, lintMs: round(lint.ms), lintPeakRssBytes: lint.peakRssBytes, yamlParseMs: round(yamlOnly.ms), yamlPeakRssBytes: yamlOnly.peakRssBytes };
    log(`worst case, ${label}: ${fmtMs(lint.ms)} ms, peak RSS ${fmtBytes(lint.peakRssBytes)} (yaml.parseDocument ${fmtMs(yamlOnly.ms)} ms, ${fmtBytes(yamlOnly.peakRssBytes)})`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Extension activation and bundle sizes.

{
  const dist = join(root, 'dist');
  // The Node bundles, then the browser's (dist/browser/), each with its gzipped size (what a browser downloads).
  const bundlesIn = (folder) => (existsSync(join(dist, folder)) ? readdirSync(join(dist, folder)).filter((name) => name.endsWith('.js')).sort().map((name) => join(folder, name)) : []);
  results.bundles = Object.fromEntries([...bundlesIn(''), ...bundlesIn('browser')].map((name) => [name, { size: statSync(join(dist, name)).size, gzipped: gzipSync(readFileSync(join(dist, name)), { level: 9 }).length }]));
  if (existsSync(join(dist, 'extension.js'))) {
    const samples = [];
    let error;
    for (let run = 0; run < (quick ? 2 : 5); run++) {
      const child = spawnSync(process.execPath, [join(root, 'scripts/bench/activate.cjs')], { encoding: 'utf8', timeout: 60_000 });
      try {
        const out = JSON.parse(child.stdout);
        samples.push(out);
        error ??= out.error;
      } catch {
        error = (child.stderr || 'no output').split('\n')[0];
        break;
      }
    }
    results.activation = samples.length
      ? { requireMs: round(median(samples.map((s) => s.requireMs))), activateMs: round(median(samples.map((s) => s.activateMs))), totalMs: round(median(samples.map((s) => s.totalMs))), error }
      : { error };
  } else {
    results.activation = { error: 'not built' };
  }
  log(`activation: ${results.activation.totalMs !== undefined ? `${fmtMs(results.activation.totalMs)} ms` : results.activation.error}`);
}

// ---------------------------------------------------------------------------------------------------
// The browser (issue 13): 1,000 rules linted in the worker bundle in headless Chromium, beside lintText in Node.

{
  const text = core.generateAllowlist({ rules: 1000, seed: 1 });
  results.browserLint = { bytes: Buffer.byteLength(text), ...(await workerLintBench({ root, text, lintNode: (source) => core.lintText(source, OPTIONS), runs: quick ? 3 : 21, warmups: quick ? 3 : 10 })) };
  const bl = results.browserLint;
  log(bl.skipped ? `browser lint: skipped (${bl.skipped})` : `browser lint, 1,000 rules: worker ${fmtMs(bl.workerMs)} ms, Node ${fmtMs(bl.nodeMs)} ms (${bl.ratio.toFixed(2)}×)`);
}

// ---------------------------------------------------------------------------------------------------
// Probe sweep vs nmap -sT, in a network namespace of our own.

function namespaceProblem() {
  for (const tool of ['unshare', 'iptables', 'ip', 'nmap']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (Debian: apt-get install -y nmap iptables iproute2 util-linux)`;
    }
  }
  const trial = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && iptables -L -n >/dev/null'], { stdio: 'ignore' });
  return trial.status === 0 ? undefined : 'cannot create a network namespace with iptables here (needs root or CAP_NET_ADMIN)';
}

{
  const problem = namespaceProblem();
  if (problem) {
    results.sweep = { skipped: problem };
  } else {
    // Ports picked by the bench, in a namespace that has nothing else: 500 ports, 101 dropped, 5 listening
    // (one of them behind the DROP rule, so it must read as filtered).
    const from = 20_000 + Math.floor(Math.random() * 40_000);
    const range = { from, to: from + 499 };
    const drop = { from: from + 100, to: from + 200 };
    const listen = [from, from + 37, from + 150, from + 321, from + 499];
    const timeoutMs = 1500;
    const runs = quick ? 1 : 5;
    // The CLI's input: one outbound rule for the range, in a folder outside any repository and without a config.
    const siteDir = mkdtempSync(join(os.tmpdir(), 'allowlist-bench-sweep-'));
    const allowlist = join(siteDir, 'sweep.allowlist.yaml');
    writeFileSync(allowlist, ['allowlist: 1', 'outbound:', '  - name: bench', '    to: 127.0.0.1', `    ports: "${range.from}-${range.to}"`, ''].join('\n'));
    const child = spawnSync(
      'unshare',
      ['-n', 'sh', '-c', `ip link set lo up && iptables -A INPUT -p tcp --syn --dport ${drop.from}:${drop.to} -j DROP && exec "${process.execPath}" "${join(root, 'scripts/bench/sweep.cjs')}"`],
      {
        encoding: 'utf8',
        timeout: 240_000,
        env: {
          ...process.env,
          BENCH_CORE: coreBundle,
          CLI: join(root, 'dist/cli.js'),
          ALLOWLIST: allowlist,
          RUNS: String(runs),
          SWEEP_RANGE: `${range.from}-${range.to}`,
          LISTEN_PORTS: listen.join(','),
          TIMEOUT_MS: String(timeoutMs),
        },
      },
    );
    rmSync(siteDir, { recursive: true, force: true });
    if (child.status !== 0) {
      results.sweep = { skipped: `the sweep failed: ${(child.stderr || child.error?.message || '').split('\n')[0]}` };
    } else {
      const out = JSON.parse(child.stdout);
      const expected = (port) => (port >= drop.from && port <= drop.to ? 'filtered' : listen.includes(port) ? 'open' : 'closed');
      let agreeNmap = 0;
      let agreeSetup = 0;
      const disagreements = [];
      for (let port = range.from; port <= range.to; port++) {
        const ours = out.states[port];
        if (ours === expected(port)) agreeSetup++;
        if (out.nmap && ours === out.nmap.states[port]) agreeNmap++;
        else if (out.nmap && disagreements.length < 10) disagreements.push({ port, probe: ours, nmap: out.nmap.states[port] });
      }
      // The CLI's verdicts, run by run, against the engine's and the setup: the worst run counts.
      const agreeing = (states, verdict) => Array.from({ length: 500 }, (_, i) => range.from + i).filter((port) => states[port] === verdict(port)).length;
      const cliAgreeWithEngine = Math.min(...out.cli.states.map((states) => agreeing(states, (port) => out.states[port])));
      const cliDisagreements = out.cli.states
        .flatMap((states, run) => Object.keys(out.states).filter((port) => states[port] !== out.states[port]).map((port) => ({ run, port: Number(port), engine: out.states[port], cli: states[port] })))
        .slice(0, 10);
      const cliAgreeWithSetup = Math.min(...out.cli.states.map((states) => agreeing(states, expected)));
      const count = (state) => Object.values(out.states).filter((s) => s === state).length;
      results.sweep = {
        ports: 500,
        dropped: drop.to - drop.from + 1,
        listening: listen.length,
        timeoutMs,
        runs,
        probeMs: round(median(out.probeMs)),
        cliMs: round(median(out.cli.ms)),
        nmapMs: out.nmap ? round(median(out.nmap.ms)) : null,
        nmapVersion: out.nmap?.version,
        open: count('open'),
        closed: count('closed'),
        filtered: count('filtered'),
        agreeWithNmap: out.nmap ? agreeNmap : null,
        agreeWithSetup: agreeSetup,
        cliAgreeWithEngine,
        cliAgreeWithSetup,
        cliDisagreements,
        disagreements,
      };
    }
  }
  const sw = results.sweep;
  log(`sweep: ${sw.skipped ?? `engine ${fmtMs(sw.probeMs)} ms, CLI ${fmtMs(sw.cliMs)} ms, nmap ${fmtMs(sw.nmapMs)} ms, ${sw.agreeWithNmap}/500 ports agree with nmap, the CLI ${sw.cliAgreeWithEngine}/500 with the engine`}`);
}

// ---------------------------------------------------------------------------------------------------
// The tools the fleet is compared with (issue 16): ajv-cli (js-yaml + Ajv) and Spectral, each with our schema only.
// They are the benchmark's own dependencies (scripts/bench/tools/package.json and its lock), installed on demand into
// .bench/tools with `npm ci`, never the package's; without them (offline) the comparison is skipped with a note.

function benchTools() {
  const source = join(root, 'scripts/bench/tools');
  const target = join(benchDir, 'tools');
  const lock = readFileSync(join(source, 'package-lock.json'), 'utf8');
  const bin = (name) => join(target, 'node_modules', '.bin', name);
  const installed = () => existsSync(bin('ajv')) && existsSync(bin('spectral')) && existsSync(join(target, 'package-lock.json')) && readFileSync(join(target, 'package-lock.json'), 'utf8') === lock;
  if (!installed()) {
    mkdirSync(target, { recursive: true });
    for (const name of ['package.json', 'package-lock.json']) writeFileSync(join(target, name), readFileSync(join(source, name)));
    const npm = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: target, encoding: 'utf8', timeout: 600_000 });
    if (npm.status !== 0 || !installed()) return { skipped: `npm ci of scripts/bench/tools failed (offline?): ${(npm.stderr || npm.error?.message || '').trim().split('\n').pop()}` };
  }
  const version = (name) => JSON.parse(readFileSync(join(target, 'node_modules', name, 'package.json'), 'utf8')).version;
  // Spectral's ruleset: the allowlist schema as its one rule, on the whole document.
  const ruleset = join(target, 'allowlist-schema.spectral.json');
  writeFileSync(ruleset, JSON.stringify({ rules: { 'allowlist-schema': { description: 'schemas/allowlist.schema.json', given: '$', severity: 'error', then: { function: 'schema', functionOptions: { schema, dialect: 'draft2020-12', allErrors: true } } } } }));
  return { ajv: bin('ajv'), spectral: bin('spectral'), ruleset, versions: { ajvCli: version('ajv-cli'), spectral: version('@stoplight/spectral-cli') } };
}

// ---------------------------------------------------------------------------------------------------
// Fleet: a repository of 500 sites x 40 rules, linted and reported by the CLI (issue 14: the report is the same
// lint plus rendering, so it must take no longer than lint + 20 %), and validated by ajv-cli and Spectral against our
// schema (issue 16: lint, with all its rules, no slower than ajv-cli and at least 5x faster than Spectral). Lint runs
// on one thread (its default) and on every core (`--concurrency auto`).

// The CLI's inputs live outside this repository, as a user's do: the CLI walks an allowlist's git repository for
// catalogs, and this one holds e2e profiles and code-server installs (that walk took about 0.7 s of the cold lint).
const scratchDir = mkdtempSync(join(os.tmpdir(), 'allowlist-bench-'));
process.on('exit', () => rmSync(scratchDir, { recursive: true, force: true }));

{
  const sites = 500;
  // A fleet is a repository of its own: its catalog walk is over its own files.
  const fleetDir = join(scratchDir, 'fleet');
  mkdirSync(fleetDir);
  execFileSync('git', ['init', '-q', fleetDir]);
  let bytes = 0;
  for (let site = 1; site <= sites; site++) {
    const text = core.generateAllowlist({ rules: 40, seed: site, inboundShare: 0.2 });
    bytes += Buffer.byteLength(text);
    writeFileSync(join(fleetDir, `site-${String(site).padStart(3, '0')}.allowlist.yaml`), text);
  }
  const cli = join(root, 'dist/cli.js');
  const timedCommand = (command, argv, accept = [0, 1]) => {
    const start = performance.now();
    const child = spawnSync(command, argv, { cwd: fleetDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ms = performance.now() - start;
    if (!accept.includes(child.status)) throw new Error(`${command} ${argv.join(' ')} exited ${child.status}: ${(child.stderr || child.stdout).split('\n')[0]}`);
    return ms;
  };
  const timed = (argv) => timedCommand(process.execPath, [cli, ...argv]);
  const tools = benchTools();
  const files = readdirSync(fleetDir).filter((name) => name.endsWith('.allowlist.yaml')).map((name) => join(fleetDir, name));
  const lint = [];
  const lintParallel = [];
  const report = [];
  const ajv = [];
  const spectral = [];
  // Alternated, so that other work on the machine weighs on all alike.
  for (let run = 0; run < (quick ? 1 : 3); run++) {
    lint.push(timed(['lint', '.', '--format', 'json', '--today', OPTIONS.today]));
    lintParallel.push(timed(['lint', '.', '--format', 'json', '--today', OPTIONS.today, '--concurrency', 'auto']));
    report.push(timed(['report', '.', '--format', 'html', '--out', join(benchDir, 'fleet-report.html'), '--today', OPTIONS.today]));
    if (tools.skipped) continue;
    // The generated sites are valid: both exit 0 (a failure to read the schema or a file would not).
    ajv.push(timedCommand(tools.ajv, ['validate', '--spec=draft2020', '--strict=false', '--all-errors', '-c', 'ajv-formats', '-s', schemaPath, '-d', join(fleetDir, '*.allowlist.yaml')], [0]));
    spectral.push(timedCommand(tools.spectral, ['lint', ...files, '--ruleset', tools.ruleset, '--format', 'json', '--quiet'], [0]));
  }
  results.fleet = { sites, rulesPerSite: 40, bytes, lintMs: round(median(lint)), lintParallelMs: round(median(lintParallel)), reportMs: round(median(report)), runs: lint.length };
  results.fleet.ratio = round(results.fleet.reportMs / results.fleet.lintMs);
  if (tools.skipped) {
    results.fleet.comparators = { skipped: tools.skipped };
  } else {
    results.fleet.comparators = { ...tools.versions, ajvMs: round(median(ajv)), spectralMs: round(median(spectral)) };
  }
  const comparators = results.fleet.comparators;
  log(`fleet: lint ${fmtMs(results.fleet.lintMs)} ms (every core ${fmtMs(results.fleet.lintParallelMs)} ms), report ${fmtMs(results.fleet.reportMs)} ms (${results.fleet.ratio}×), ${comparators.skipped ?? `ajv-cli ${fmtMs(comparators.ajvMs)} ms, Spectral ${fmtMs(comparators.spectralMs)} ms`}`);
}

// ---------------------------------------------------------------------------------------------------
// The CLI's cold path (issue 16): `allowlist lint` of the 10,000-rule file as a whole process (start-up, catalogs,
// lint, formatting, output), JSON and text, beside the in-process full lint measured above, with its peak RSS
// (scripts/bench/peak-rss.cjs, preloaded); and yaml-language-server validating the same file as a whole process
// (scripts/bench/yls-cold.mjs: its language service with our schema), alternated with it.

{
  const file = join(scratchDir, 'cold-10000.allowlist.yaml');
  writeFileSync(file, core.generateAllowlist({ rules: 10_000, seed: 1 }));
  const cli = join(root, 'dist/cli.js');
  const rssFile = join(benchDir, 'cold-peak-rss.txt');
  const timed = (argv, label, env = process.env) => {
    const start = performance.now();
    const child = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
    const ms = performance.now() - start;
    if (child.status !== 0 && child.status !== 1) throw new Error(`${label} exited ${child.status}: ${child.stderr.split('\n')[0]}`);
    return ms;
  };
  const lint = (format, env) => timed([...(env ? ['--require', join(root, 'scripts/bench/peak-rss.cjs')] : []), cli, 'lint', file, '--format', format, '--today', OPTIONS.today], `allowlist lint --format ${format}`, env);
  const json = [];
  const jsonPeakRss = [];
  const text = [];
  const yls = [];
  for (let run = 0; run < (quick ? 1 : 5); run++) {
    rmSync(rssFile, { force: true });
    json.push(lint('json', { ...process.env, BENCH_PEAK_RSS_FILE: rssFile }));
    jsonPeakRss.push(Number(readFileSync(rssFile, 'utf8')));
    text.push(lint('text'));
    yls.push(timed([join(root, 'scripts/bench/yls-cold.mjs'), file], 'scripts/bench/yls-cold.mjs'));
  }
  results.cold = { rules: 10_000, runs: json.length, jsonMs: round(median(json)), textMs: round(median(text)), jsonPeakRssBytes: median(jsonPeakRss), ylsMs: round(median(yls)) };
  results.cold.ratio = round(results.cold.jsonMs / results.sizes[10_000].lintMs);
  results.cold.textRatio = round(results.cold.textMs / results.sizes[10_000].lintMs);
  results.cold.ylsRatio = round(results.cold.ylsMs / results.cold.jsonMs);
  log(`cold CLI lint of 10,000 rules: json ${fmtMs(results.cold.jsonMs)} ms (peak RSS ${fmtBytes(results.cold.jsonPeakRssBytes)}), text ${fmtMs(results.cold.textMs)} ms (${results.cold.ratio}× / ${results.cold.textRatio}× the in-process lint); yaml-language-server as a process ${fmtMs(results.cold.ylsMs)} ms (${results.cold.ylsRatio}×)`);
}

// ---------------------------------------------------------------------------------------------------
// Report.

const cpus = os.cpus();
results.machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown',
  cores: cpus.length,
  memoryBytes: os.totalmem(),
  node: process.version,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  yaml: yamlVersion,
  yamlLanguageServer: ylsVersion,
  loadAverage: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(os.loadavg()[0] * 100) / 100 },
};
results.date = new Date().toISOString();
results.quick = quick;
// The editor's first diagnostic (issue 16, target 5) is measured by `npm run bench:editor` in code-server: its last
// figures, with their own date, when it has run.
const editorFigures = join(benchDir, 'editor.json');
results.editor = existsSync(editorFigures) ? JSON.parse(readFileSync(editorFigures, 'utf8')) : undefined;

const big = results.sizes[10_000];
const small = results.sizes[1000];
results.targets = {
  fasterThanYls2x: { met: big.ylsMs >= 2 * big.lintMs, value: big.ylsRatio },
  within13xOfYamlParse: { met: big.lintMs <= 1.3 * big.yamlParseMs, value: big.yamlRatio },
  linear: { met: big.lintMs <= 11 * small.lintMs, value: round(big.lintMs / small.lintMs) },
  relintUnder50ms: { met: results.relint.ms < 50, value: results.relint.ms },
  relintWithinFrame: { met: results.relint.ms <= 8 && results.relint.p95Ms <= 16, value: results.relint.ms, p95: results.relint.p95Ms },
  reportWithin20PercentOfLint: { met: results.fleet.ratio <= 1.2, value: results.fleet.ratio },
  browserWithin15xOfNode: results.browserLint.skipped ? { skipped: results.browserLint.skipped } : { met: results.browserLint.ratio <= 1.5, value: results.browserLint.ratio },
  coldCliWithin15x: { met: results.cold.ratio <= 1.5, value: results.cold.ratio },
  coldCliPeakRssUnder200MB: { met: results.cold.jsonPeakRssBytes <= 200 * 1024 * 1024, value: results.cold.jsonPeakRssBytes },
  coldCli3xFasterThanYls: { met: results.cold.ylsRatio >= 3, value: results.cold.ylsRatio },
  serverHeapFlat: { met: results.serverHeap.secondHalfGrowthShare <= 0.02, value: results.serverHeap.secondHalfGrowthBytes },
};
if (results.editor) results.targets.firstDiagnosticAsFastAsJson = { met: results.editor.ratio <= 1, value: results.editor.ratio };
const sweep = results.sweep;
if (!sweep.skipped) {
  // A CLI whose verdicts differ from the engine's does not meet either target, however fast.
  const same = sweep.cliAgreeWithEngine === sweep.ports;
  const cliToEngine = round(sweep.cliMs / sweep.probeMs);
  results.targets.probeCliWithin13xOfEngine = { met: same && cliToEngine <= 1.3, value: cliToEngine };
  if (sweep.nmapMs !== null) {
    const cliToNmap = round(sweep.cliMs / sweep.nmapMs);
    results.targets.probeCliHalfOfNmap = { met: same && cliToNmap <= 0.5, value: cliToNmap };
  }
}
const comparators = results.fleet.comparators;
if (!comparators.skipped) {
  results.targets.fleetNoSlowerThanAjv = { met: results.fleet.lintMs <= comparators.ajvMs, value: round(comparators.ajvMs / results.fleet.lintMs) };
  results.targets.fleet5xFasterThanSpectral = { met: comparators.spectralMs >= 5 * results.fleet.lintMs, value: round(comparators.spectralMs / results.fleet.lintMs) };
}

const yes = (target) => (target.met ? 'met' : '**not met**');
const lines = [];
lines.push('# Benchmarks');
lines.push('');
lines.push('Written by `npm run bench` (scripts/bench.mjs); do not edit by hand. Medians of several runs; all figures from one run on one machine.');
lines.push('');
lines.push(`- Date: ${results.date}${quick ? ' (quick run: fewer repetitions)' : ''}`);
lines.push(`- Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${fmtBytes(results.machine.memoryBytes)} memory, ${results.machine.os}`);
lines.push(`- Node ${results.machine.node}, yaml ${yamlVersion}, yaml-language-server ${ylsVersion}`);
const load = results.machine.loadAverage;
lines.push(`- Load average (1 min) at start / end: ${load.start} / ${load.end}${Math.max(load.start, load.end) > results.machine.cores / 2 ? ' — **the machine was busy with other work: absolute figures are skewed; ratios measured in the same run are more reliable**' : ''}`);
lines.push('');
lines.push('## Full lint');
lines.push('');
lines.push('Generated allowlists (`test/generate.ts`, seed 1). "Lint" is a fresh `Linter` (`lintText`): parse (chunked, without schema), schema (Ajv, per item and the file shell), rules (item and file rules, ignores, severities). yaml-language-server is `doValidation` through its language service with our schema, in the same process and run. `yaml` is the bare `parseDocument` of the same text.');
lines.push('');
lines.push('| rules | size | lint ms | parse | schema | rules | yaml-language-server ms | ratio (YLS / lint) | yaml parseDocument ms | lint / parseDocument | heap held | RSS | findings |');
lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const rules of sizes) {
  const f = results.sizes[rules];
  lines.push(`| ${rules.toLocaleString('en')} | ${fmtBytes(f.bytes)} | ${fmtMs(f.lintMs)} | ${fmtMs(f.parseMs)} | ${fmtMs(f.schemaMs)} | ${fmtMs(f.rulesMs)} | ${fmtMs(f.ylsMs)} | ${f.ylsRatio.toFixed(2)}× | ${fmtMs(f.yamlParseMs)} | ${f.yamlRatio.toFixed(2)}× | ${fmtBytes(f.heapDeltaBytes)} | ${fmtBytes(f.rssBytes)} | ${f.findings} |`);
}
lines.push('');
lines.push('## Re-lint after a one-character edit (10,000 rules)');
lines.push('');
lines.push(`Same \`Linter\` instance in a process of its own, as the language server (\`scripts/bench/keystroke.cjs\`), after the full lint and \`prepareForEdits\` (the indexes the first re-lint needs, which the server makes when idle after a lint: ${fmtMs(results.relint.prepareMs)} ms) and ${results.relint.warmUpMs.length} edits of warm-up (V8 compiles the re-lint's code for this file's sizes meanwhile: ${results.relint.warmUpMs.map(fmtMs).join(', ')} ms, what a user's first keystrokes in a session take), a digit typed into a port of one rule in the middle of the file and deleted again (\`443\` ↔ \`4443\`: every rule after it moves), ${results.relint.runs} edits in a row: **median ${fmtMs(results.relint.ms)} ms** (parse ${fmtMs(results.relint.parseMs)} ms, rules ${fmtMs(results.relint.rulesMs)} ms), p95 ${fmtMs(results.relint.p95Ms)} ms, mean ${fmtMs(results.relint.meanMs)} ms (p95 and the mean include the garbage collector's pauses). Right after a forced full collection (median of ${results.relint.afterFullGcRuns}): ${fmtMs(results.relint.afterFullGcMs)} ms.`);
lines.push('');
lines.push('## Language server heap over a minute of edits (10,000 rules)');
lines.push('');
const heap = results.serverHeap;
lines.push(`The language server (\`startServer\` with the Node host, as dist/server.js runs it) in the bench's process over in-memory streams, the 10,000-rule file opened (${heap.findings} diagnostics), then ${heap.seconds} s of typing: four characters typed into a rule's description and deleted again, at another rule each time, every version's diagnostics awaited (the server lints after its 200 ms pause): ${heap.edits} edits (\`scripts/bench/server-heap.mjs\`). Heap after a forced full collection: **${fmtBytes(heap.heapAtStartBytes)}** after the first lint, ${fmtBytes(heap.heapAtHalfBytes)} at half time, **${fmtBytes(heap.heapAtEndBytes)}** at the end: the second half added ${fmtBytes(heap.secondHalfGrowthBytes)} (${(heap.secondHalfGrowthShare * 100).toFixed(1)} %).`);
lines.push('');
lines.push('## Worst cases (issue 9)');
lines.push('');
lines.push(`Shapes reported as growing with the square of the input (\`test/generate.ts\`), each linted once, cold (catalogs and schemas load in the same time), by \`lintText\` in a process of its own (\`scripts/bench/worst-case.cjs\`; medians of ${quick ? 1 : 3} processes) with the process's peak RSS; the bare \`yaml\` \`parseDocument\` of the same text, also in its own process, is the floor.`);
lines.push('');
lines.push('| shape | size | lint ms | peak RSS | yaml parseDocument ms | its peak RSS | findings |');
lines.push('|---|---:|---:|---:|---:|---:|---:|');
for (const w of Object.values(results.worstCases)) {
  lines.push(`| ${w.label} | ${fmtBytes(w.bytes)} | ${fmtMs(w.lintMs)} | ${fmtBytes(w.lintPeakRssBytes)} | ${fmtMs(w.yamlParseMs)} | ${fmtBytes(w.yamlPeakRssBytes)} | ${w.findings} |`);
}
lines.push('');
lines.push('## Extension');
lines.push('');
const act = results.activation;
lines.push(act.totalMs !== undefined ? `Activation (require \`dist/extension.js\` with a fake \`vscode\` module, then \`activate\`), median of fresh processes: **${fmtMs(act.totalMs)} ms** (require ${fmtMs(act.requireMs)} ms, activate ${fmtMs(act.activateMs)} ms)${act.error ? `; activate threw with the fake module: ${act.error}` : ''}.` : `Activation: ${act.error}.`);
lines.push('');
lines.push('| bundle | size | gzipped |');
lines.push('|---|---:|---:|');
for (const [name, { size, gzipped }] of Object.entries(results.bundles)) lines.push(`| dist/${name} | ${fmtBytes(size)} | ${fmtBytes(gzipped)} |`);
if (Object.keys(results.bundles).length === 0) lines.push('| not built | |');
lines.push('');
lines.push('## In the browser (issue 13)');
lines.push('');
const bl = results.browserLint;
if (bl.skipped) {
  lines.push(`Skipped: ${bl.skipped}.`);
} else {
  lines.push(`A generated allowlist of 1,000 rules (${fmtBytes(bl.bytes)}) opened in the browser's language server (\`dist/browser/server.js\` in a Web Worker of headless ${bl.browser}, \`scripts/bench/worker.mjs\`): from posting \`didOpen\` to receiving its ${bl.findings} diagnostics, a new document each run (a fresh \`Linter\`), beside \`lintText\` of the same text in Node, alternated, medians of ${bl.runs} after ${bl.warmups} warm-ups of each.`);
  lines.push('');
  lines.push('| where | lint ms |');
  lines.push('|---|---:|');
  lines.push(`| Web Worker (Chromium), with the LSP messages | ${fmtMs(bl.workerMs)} |`);
  lines.push(`| Node (\`lintText\`) | ${fmtMs(bl.nodeMs)} |`);
  lines.push(`| worker / Node | ${bl.ratio.toFixed(2)}× |`);
}
lines.push('');
lines.push('## Fleet');
lines.push('');
const fleet = results.fleet;
lines.push(`A git repository of ${fleet.sites} generated sites × ${fleet.rulesPerSite} rules (${fmtBytes(fleet.bytes)}; in a temporary folder, as the 10,000-rule file below), each command in its own process, alternated, median of ${fleet.runs}. \`allowlist lint\` runs all its rules on one thread (its default) or on every core (\`--concurrency auto\`: worker threads); ajv-cli (js-yaml and Ajv) and Spectral check the same files against \`schemas/allowlist.schema.json\` only (the schema as Spectral's one rule), installed for the benchmark only (scripts/bench/tools).`);
lines.push('');
lines.push('| command | ms | lint is faster by |');
lines.push('|---|---:|---:|');
lines.push(`| \`allowlist lint . --format json\` | **${fmtMs(fleet.lintMs)}** | |`);
lines.push(`| \`allowlist lint . --format json --concurrency auto\` | ${fmtMs(fleet.lintParallelMs)} | ${(fleet.lintParallelMs / fleet.lintMs).toFixed(2)}× |`);
lines.push(`| \`allowlist report . --format html --out …\` | ${fmtMs(fleet.reportMs)} | ${fleet.ratio.toFixed(2)}× |`);
if (fleet.comparators.skipped) {
  lines.push('', `ajv-cli and Spectral: skipped (${fleet.comparators.skipped}).`);
} else {
  lines.push(`| \`ajv validate --spec=draft2020 -c ajv-formats -s … -d '*.allowlist.yaml'\` (ajv-cli ${fleet.comparators.ajvCli}) | ${fmtMs(fleet.comparators.ajvMs)} | ${(fleet.comparators.ajvMs / fleet.lintMs).toFixed(2)}× |`);
  lines.push(`| \`spectral lint … --ruleset\` (Spectral ${fleet.comparators.spectral}) | ${fmtMs(fleet.comparators.spectralMs)} | ${(fleet.comparators.spectralMs / fleet.lintMs).toFixed(2)}× |`);
}
lines.push('');
lines.push('## The CLI, cold');
lines.push('');
const cold = results.cold;
lines.push(`\`allowlist lint\` of the 10,000-rule file (seed 1) by the built CLI in a process of its own (start-up, catalogs, lint, formatting, output; the file in a temporary folder outside this repository), median of ${cold.runs}: \`--format json\` **${fmtMs(cold.jsonMs)} ms** (${cold.ratio.toFixed(2)}× the in-process full lint above) with a peak RSS of **${fmtBytes(cold.jsonPeakRssBytes)}**, text ${fmtMs(cold.textMs)} ms (${cold.textRatio.toFixed(2)}×). yaml-language-server ${ylsVersion} validating the same file with our schema as a process of its own (\`scripts/bench/yls-cold.mjs\`: loading its language service, one validation), alternated with them: ${fmtMs(cold.ylsMs)} ms, ${cold.ylsRatio.toFixed(2)}× the CLI's JSON run.`);
lines.push('');
lines.push('## Probe sweep vs nmap');
lines.push('');
const sw = results.sweep;
if (sw.skipped) {
  lines.push(`Skipped: ${sw.skipped}.`);
} else {
  lines.push(`500 ports of 127.0.0.1 in a network namespace of the bench's own; iptables drops SYNs to ${sw.dropped} of them; ${sw.listening} listen (one behind the DROP rule). Probe engine \`probe(..., { sweep: true, timeoutMs: ${sw.timeoutMs} })\` in the process, the built CLI \`allowlist probe FILE --sweep --json --timeout ${sw.timeoutMs}\` as a whole process (start-up, catalogs, lint of FILE, the sweep, output, exit; FILE allows the 500 ports of 127.0.0.1, no proxy) and \`nmap -sT -n -Pn --max-retries 1\`${sw.nmapVersion ? ` (nmap ${sw.nmapVersion})` : ''}, alternated, median of ${sw.runs}.`);
  lines.push('');
  lines.push('| tool | time ms | open | closed | filtered | same verdict as nmap | as set up | same verdict as the engine (worst run) |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| probe engine | ${fmtMs(sw.probeMs)} | ${sw.open} | ${sw.closed} | ${sw.filtered} | ${sw.agreeWithNmap ?? 'n/a'} / 500 | ${sw.agreeWithSetup} / 500 | |`);
  lines.push(`| \`allowlist probe --sweep\` | ${fmtMs(sw.cliMs)} | | | | | ${sw.cliAgreeWithSetup} / 500 | ${sw.cliAgreeWithEngine} / 500 |`);
  lines.push(`| nmap -sT | ${fmtMs(sw.nmapMs)} | | | | | | |`);
  if (sw.disagreements.length) lines.push('', `Disagreements (first 10): ${sw.disagreements.map((d) => `${d.port}: probe ${d.probe}, nmap ${d.nmap}`).join('; ')}`);
  if (sw.cliDisagreements.length) lines.push('', `The CLI's disagreements with the engine (first 10): ${sw.cliDisagreements.map((d) => `run ${d.run + 1}, ${d.port}: engine ${d.engine}, CLI ${d.cli}`).join('; ')}`);
}
lines.push('');
lines.push('## Editor');
lines.push('');
const editor = results.editor;
if (!editor) {
  lines.push('Not measured: `npm run bench:editor` (code-server, Chromium) has not run on this machine.');
} else {
  lines.push(`Written by \`npm run bench:editor\` (\`test/e2e/bench-editor.mjs\`) on ${editor.date}, load average ${editor.loadAverage.toFixed(2)} at its end. In one code-server ${editor.codeServer} (VS Code ${editor.vscode}) run, driven in Chromium: from clicking a file in the Explorer to a count in the Problems status item, each run in a fresh window (its own extension host) on a fresh folder, with the workbench settled (the window's startup extensions activated) before the click; our 37-line allowlist (\`test/e2e/fixtures/bench/first-diagnostic.allowlist.yaml\`) and VS Code's built-in JSON language server on a broken 4-line JSON file, alternated, medians of ${editor.runs}. The allowlist's folder holds allowlists, so the extension has activated (\`workspaceContains\`) but its language server starts on the click; JSON's extension activates on the click.`);
  lines.push('');
  lines.push('| file | first diagnostic ms | runs |');
  lines.push('|---|---:|---|');
  lines.push(`| allowlist (37 lines) | **${fmtMs(editor.allowlistMs)}** | ${editor.samples.allowlist.map(fmtMs).join(', ')} |`);
  lines.push(`| JSON (4 lines, broken) | ${fmtMs(editor.jsonMs)} | ${editor.samples.json.map(fmtMs).join(', ')} |`);
  lines.push(`| allowlist / JSON | ${editor.ratio.toFixed(2)}× | |`);
}
lines.push('');
lines.push('## Targets (issues 5, 14 and 16)');
lines.push('');
lines.push('| target | measured | |');
lines.push('|---|---:|---|');
lines.push(`| full lint of 10,000 rules at least 2× faster than yaml-language-server | ${results.targets.fasterThanYls2x.value.toFixed(2)}× | ${yes(results.targets.fasterThanYls2x)} |`);
lines.push(`| full lint of 10,000 rules within 1.3× of the bare \`yaml\` parse | ${results.targets.within13xOfYamlParse.value.toFixed(2)}× | ${yes(results.targets.within13xOfYamlParse)} |`);
lines.push(`| linear: 10× the rules (1,000 → 10,000), at most 11× the time | ${results.targets.linear.value.toFixed(2)}× | ${yes(results.targets.linear)} |`);
lines.push(`| re-lint after a one-character edit in 10,000 rules under 50 ms (median of edits in a row) | ${fmtMs(results.targets.relintUnder50ms.value)} ms | ${yes(results.targets.relintUnder50ms)} |`);
lines.push(`| a keystroke within one frame (issue 16): that re-lint's median ≤ 8 ms and p95 ≤ 16 ms | ${fmtMs(results.targets.relintWithinFrame.value)} ms, p95 ${fmtMs(results.targets.relintWithinFrame.p95)} ms | ${yes(results.targets.relintWithinFrame)} |`);
lines.push(`| the fleet report of 500 sites × 40 rules within lint + 20 % (issue 14) | ${results.targets.reportWithin20PercentOfLint.value.toFixed(2)}× | ${yes(results.targets.reportWithin20PercentOfLint)} |`);
const browserTarget = results.targets.browserWithin15xOfNode;
lines.push(`| 1,000 rules linted in the browser's Web Worker within 1.5× of Node (issue 13) | ${browserTarget.skipped ? 'n/a' : `${browserTarget.value.toFixed(2)}×`} | ${browserTarget.skipped ? `skipped: ${browserTarget.skipped}` : yes(browserTarget)} |`);
if (results.targets.fleetNoSlowerThanAjv) {
  lines.push(`| fleet lint no slower than ajv-cli with the schema only (issue 16; ajv-cli / lint) | ${results.targets.fleetNoSlowerThanAjv.value.toFixed(2)}× | ${yes(results.targets.fleetNoSlowerThanAjv)} |`);
  lines.push(`| fleet lint at least 5× faster than Spectral with the schema rule (issue 16) | ${results.targets.fleet5xFasterThanSpectral.value.toFixed(2)}× | ${yes(results.targets.fleet5xFasterThanSpectral)} |`);
}
lines.push(`| \`allowlist lint --format json\` of 10,000 rules as a process within 1.5× of the in-process lint (issue 16) | ${results.targets.coldCliWithin15x.value.toFixed(2)}× | ${yes(results.targets.coldCliWithin15x)} |`);
lines.push(`| \`allowlist lint\` of 10,000 rules as a process: peak RSS at most 200 MB (issue 16) | ${fmtBytes(results.targets.coldCliPeakRssUnder200MB.value)} | ${yes(results.targets.coldCliPeakRssUnder200MB)} |`);
lines.push(`| yaml-language-server validating 10,000 rules as a process at least 3× the cold \`allowlist lint --format json\` (issue 16) | ${results.targets.coldCli3xFasterThanYls.value.toFixed(2)}× | ${yes(results.targets.coldCli3xFasterThanYls)} |`);
if (results.targets.probeCliWithin13xOfEngine) {
  const { probeCliWithin13xOfEngine: toEngine, probeCliHalfOfNmap: toNmap } = results.targets;
  lines.push(`| \`allowlist probe --sweep\` of 500 ports as a process within 1.3× of the engine in process, same verdicts (issue 16; CLI / engine) | ${toEngine.value.toFixed(2)}× | ${yes(toEngine)} |`);
  if (toNmap) lines.push(`| \`allowlist probe --sweep\` of 500 ports at most 0.5× of \`nmap -sT\`'s time, same verdicts as the engine (issue 16; CLI / nmap) | ${toNmap.value.toFixed(2)}× | ${yes(toNmap)} |`);
}
const firstDiagnostic = results.targets.firstDiagnosticAsFastAsJson;
lines.push(`| first diagnostic of a 37-line allowlist in VS Code no slower than JSON's on a broken JSON file (issue 16; ours / JSON's, \`npm run bench:editor\`) | ${firstDiagnostic ? `${firstDiagnostic.value.toFixed(2)}×` : 'n/a'} | ${firstDiagnostic ? yes(firstDiagnostic) : 'not measured'} |`);
lines.push(`| the language server's heap flat over a minute of edits of 10,000 rules (issue 16; growth in the second half, at most 2 %) | ${fmtBytes(results.targets.serverHeapFlat.value)} | ${yes(results.targets.serverHeapFlat)} |`);
lines.push('');
const notesPath = join(root, 'scripts/bench/notes.md');
if (existsSync(notesPath)) lines.push(readFileSync(notesPath, 'utf8').trim(), '');

const markdown = lines.join('\n');
writeFileSync(join(root, 'BENCHMARKS.md'), markdown);
log('');
log(markdown);
if (asJson) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
// The language server measured in this process (scripts/bench/server-heap.mjs) keeps handles of its own (its watch of
// the client's process, its connection's timers): everything is written, so the bench ends here rather than waiting.
process.exit(0);
