// Preloaded (`node --require`) into a process the bench times as a whole, such as the built CLI: on exit, writes the
// process's peak RSS in bytes to the file named by BENCH_PEAK_RSS_FILE, so the bench reads it without wrapping the
// command in /usr/bin/time (not everywhere) and without changing what the command prints.
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
