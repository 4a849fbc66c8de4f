/** Runs the CLI in-process against temporary folders, with a fake CliIO that collects output in strings, or the built
 * CLI (dist/cli.js) as a subprocess, as users run it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CliIO } from '../../src/cli/io';
import { main } from '../../src/cli/main';
import { rules } from '../../src/core/lint';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function fakeIO(cwd: string, options: Partial<Pick<CliIO, 'env' | 'stdoutIsTTY' | 'stderrIsTTY'>> = {}): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    cwd,
    env: options.env ?? {},
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
  };
}

export async function run(cwd: string, argv: string[], options: Parameters<typeof fakeIO>[1] = {}): Promise<RunResult> {
  const io = fakeIO(cwd, options);
  const code = await main(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

/** A temporary folder with the given files (path -> text or bytes); removed by the returned cleanup. */
export function tempTree(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-cli-'));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Only these rules stay on, so that rules other engineers add do not change the expected output. */
export const KEPT_RULES = ['yaml-syntax', 'schema', 'invalid-port', 'expired-rule', 'expires-soon', 'ignore-comment'];

export function isolatingConfig(extra: Record<string, string> = {}): string {
  const lines = ['rules:'];
  for (const { meta } of rules) if (!KEPT_RULES.includes(meta.id) && !(meta.id in extra)) lines.push(`  ${meta.id}: off`);
  for (const [id, severity] of Object.entries(extra)) lines.push(`  ${id}: ${severity}`);
  return `${lines.join('\n')}\n`;
}

export const TODAY = '2026-11-25';

/** Two errors (invalid-port at 5:12, expired-rule at 6:14) and one info (expires-soon at 10:14) with --today 2026-11-25. */
export const BROKEN = [
  'allowlist: 1',
  'outbound:',
  '  - name: temp',
  '    to: example.com',
  '    ports: 99999',
  '    expires: 2020-01-01',
  '  - name: soon',
  '    to: example.org',
  '    ports: 443',
  '    expires: 2026-12-01',
  '',
].join('\n');

export const CLEAN = ['allowlist: 1', 'outbound:', '  - name: web', '    to: example.com', '    ports: 443', ''].join('\n');

/** A valid user catalog for a made-up vendor. */
export const ACME_CATALOG = [
  'catalog: 1',
  'vendor:',
  '  id: acme',
  '  name: Acme Remote',
  'endpoints:',
  '  - id: relay',
  '    role: relay for remote sessions',
  '    host: relay.acme.example',
  '    ports: ["7000-7100"]',
  '    allowlist-by: hostname',
  '    source:',
  '      url: https://acme.example/firewall',
  '',
].join('\n');

/** The built CLI; tests that run it skip with `builtCliSkip` when it has not been built. */
export const BUILT_CLI = resolve(__dirname, '../../dist/cli.js');
export const builtCliSkip = existsSync(BUILT_CLI) ? false : 'dist/cli.js is absent: run `npm run build` first';

/** Runs `allowlist ARGS` from dist/cli.js in `cwd`, without colour (and with `env` over the environment), for at most
 * 60 s; asserts it finished and printed no stack trace. `prefix`: a command to run node under (`ip netns exec NS`). */
export function runBuilt(cwd: string, args: string[], options: { env?: Record<string, string>; prefix?: string[] } = {}) {
  const [command, ...before] = [...(options.prefix ?? []), process.execPath];
  const result = spawnSync(command, [...before, BUILT_CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: 60_000 });
  assert.equal(result.signal, null, `allowlist ${args.join(' ')} did not finish within 60 s`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  return result;
}
