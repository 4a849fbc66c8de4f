// One worst-case shape of issue 9, in a process of its own so that its peak RSS is its own: lints it once (or
// only parses it with `yaml`, the floor) and prints the time, the findings and the peak RSS as JSON.
// Usage: node worst-case.cjs <bench-core bundle> <manySources|oneLineFlow|ignoreComments> <lint|yaml>
const [bundle, shape, mode] = process.argv.slice(2);
const core = require(bundle);
const SHAPES = {
  manySources: () => core.manySourcesAllowlist(),
  oneLineFlow: () => core.oneLineFlowAllowlist(),
  ignoreComments: () => core.generateIgnoreComments({ stacked: 80_000, items: 10_000 }),
};
const text = SHAPES[shape]();
const started = performance.now();
const findings = mode === 'yaml' ? (core.parseDocument(text), 0) : core.lintText(text, core.BENCH_OPTIONS).findings.length;
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), ms, findings, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
