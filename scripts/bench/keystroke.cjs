// Re-lint after one-character edits of the 10,000-rule file, in a process of its own as the language server is
// (the bench's own process holds yaml-language-server and every earlier figure's heap, which each scavenge would
// trace too). Prints the figures as JSON.
// Usage: node --expose-gc keystroke.cjs <bench-core bundle> <warm-up edits> <runs> <runs after gc>
const [bundle, warmUpArg, runsArg, afterGcArg] = process.argv.slice(2);
const core = require(bundle);
const OPTIONS = core.BENCH_OPTIONS;

// The same warm-up as the bench's full lints: the engine's code is not measured cold.
const warm = core.warmUpText();
for (let run = 0; run < 5; run++) new core.Linter().lint(warm, OPTIONS);

const text = core.generateAllowlist({ rules: 10_000, seed: 1 });
// A keystroke in a port of a rule in the middle of the file, typed and then deleted: `ports: 443` -> `ports: 4443` and
// back. Each changes the file's length, so every rule after it moves (the usual edit).
const at = text.indexOf('    ports: 443\n', Math.floor(text.length / 2)) + '    ports: '.length;
const variants = [text.slice(0, at) + '4' + text.slice(at), text];
const linter = new core.Linter();
// As the language server does on open: a full lint, then, when idle, what the first re-lint would make.
linter.lint(text, OPTIONS);
const prepareStarted = performance.now();
linter.prepareForEdits();
const prepareMs = performance.now() - prepareStarted;

// Each lint types or deletes the digit: every one an edit of the last.
let edit = 0;
const relint = () => {
  const started = performance.now();
  const result = linter.lint(variants[edit++ % 2], OPTIONS);
  return { ms: performance.now() - started, parseMs: result.timings.parseMs, rulesMs: result.timings.rulesMs };
};
// The first edits after the open run the re-lint's code unoptimised until V8 has compiled it for this file's sizes
// (a warm-up on small files does not get it there): they are the warm-up, reported on their own, as the full lints'
// figures are warm too.
const warmUpEdits = [];
for (let run = 0; run < Number(warmUpArg); run++) warmUpEdits.push(relint().ms);
const edits = [];
for (let run = 0; run < Number(runsArg); run++) edits.push(relint());
const afterGcMs = [];
for (let run = 0; run < Number(afterGcArg); run++) {
  globalThis.gc();
  afterGcMs.push(relint().ms);
}
process.stdout.write(JSON.stringify({ prepareMs, warmUpEdits, edits, afterGcMs }));
