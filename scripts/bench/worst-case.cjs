// One worst-case shape of issue 9, in a process of its own so that its peak RSS is its own: lints it (or only
// parses it with `yaml`, the floor) `runs` times and prints the median time, the findings and the peak RSS as JSON.
// Usage: node worst-case.cjs <bench-core bundle> <manySources|oneLineFlow> <lint|yaml> <runs>
const [bundle, shape, mode, runs] = process.argv.slice(2);
const core = require(bundle);
const text = core[`${shape}Allowlist`]();
const times = [];
let findings = 0;
for (let run = 0; run < Number(runs); run++) {
  const started = performance.now();
  if (mode === 'yaml') core.parseDocument(text);
  else findings = core.lintText(text, { fileName: 'bench.allowlist.yaml', today: '2026-06-01' }).findings.length;
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ bytes: Buffer.byteLength(text), ms: times[times.length >> 1], findings, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
