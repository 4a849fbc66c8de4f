import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BROKEN, CLEAN, isolatingConfig, tempTree, TODAY } from './helpers';

const CLI = resolve(__dirname, '../../dist/cli.js');

test('the built CLI (dist/cli.js) runs as a subprocess: exit codes and JSON output', { skip: existsSync(CLI) ? false : `dist/cli.js is absent: run \`npm run build\` first (subprocess test skipped)` }, () => {
  const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': isolatingConfig(), 'bad.allowlist.yaml': BROKEN, 'ok/ok.allowlist.yaml': CLEAN });
  try {
    const env = { ...process.env, NO_COLOR: '1' };
    const clean = spawnSync(process.execPath, [CLI, 'lint', 'ok'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(clean.stdout, 'no problems in 1 file\n');
    const broken = spawnSync(process.execPath, [CLI, 'lint', '--format', 'json', '--today', TODAY], { cwd: dir, encoding: 'utf8', env });
    assert.equal(broken.status, 1, broken.stderr);
    assert.equal(JSON.parse(broken.stdout).summary.errors, 2);
    const usage = spawnSync(process.execPath, [CLI, 'lint', '--nope'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /allowlist: error: unknown option --nope/);
    const explain = spawnSync(process.execPath, [CLI, 'explain', 'connect.helpdeskbuttons.com'], { cwd: dir, encoding: 'utf8', env });
    assert.equal(explain.status, 0, explain.stderr);
    assert.match(explain.stdout, /establish TechConnect session/);
  } finally {
    cleanup();
  }
});

test('no bundle compiles a schema at run time: the validators are generated at build time, without Ajv\'s compiler', (t) => {
  const bundles = ['cli-main.js', 'lint-worker.js', 'server.js', 'browser/server.js'].map((name) => resolve(__dirname, '../../dist', `${name}.map`));
  const missing = bundles.filter((map) => !existsSync(map));
  if (missing.length > 0) return t.skip(`${missing.join(', ')} absent: run \`npm run build\` (source maps) first`);
  for (const map of bundles) {
    const sources = (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
    assert.ok(sources.some((source) => source.includes('parse/generated/allowlist-validators')), `${map} bundles the generated validators`);
    assert.deepEqual(sources.filter((source) => /\/ajv\/(lib|dist)\/(compile|core|2020)/.test(source)), [], `${map} bundles Ajv's schema compiler`);
  }
});

test('the built CLI: output it cannot write (a full disk) is an error in its words, exit 2, not a stack trace', { skip: !existsSync(CLI) ? 'dist/cli.js is absent: run `npm run build` first' : !existsSync('/dev/full') ? 'no /dev/full here' : false }, () => {
  const { dir, cleanup } = tempTree({ '.allowlistrc.yaml': isolatingConfig(), 'bad.allowlist.yaml': BROKEN });
  const full = openSync('/dev/full', 'w');
  try {
    const run = spawnSync(process.execPath, [CLI, 'lint', '--today', TODAY], { cwd: dir, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stderr, 'allowlist: error: cannot write the output: ENOSPC: no space left on device, write\n');
  } finally {
    closeSync(full);
    cleanup();
  }
});
