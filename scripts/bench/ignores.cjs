// Lints the allowlist of 100,000 ignore comments (`generateIgnoreComments`: 80,000 comment lines stacked above one
// line, then 10,000 rule items with one comment above their `to:` line and one trailing it) in a process of its
// own, so that the peak memory it reports is this lint's. Run by bench.mjs (BENCH_CORE: the bundled engine,
// RUNS: repetitions after a warm-up lint). Prints one JSON object.
const core = require(process.env.BENCH_CORE);

const OPTIONS = { fileName: 'bench.allowlist.yaml', today: '2026-06-01' };
const runs = Number(process.env.RUNS ?? 3);
core.lintText(core.generateIgnoreComments({ stacked: 100, items: 100 }), OPTIONS);
const text = core.generateIgnoreComments({ stacked: 80_000, items: 10_000 });
const rssBeforeBytes = process.memoryUsage().rss;
const samples = [];
let result;
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  result = core.lintText(text, OPTIONS);
  samples.push({ ms: performance.now() - started, parseMs: result.timings.parseMs, rulesMs: result.timings.rulesMs });
}
process.stdout.write(
  JSON.stringify({
    bytes: Buffer.byteLength(text),
    comments: result.model.ignores.length,
    findings: result.findings.length,
    samples,
    rssBeforeBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
