/** Terminal escape injection (issue 9): a rule name with ESC sequences, CR and BEL — written with YAML's
 * double-quoted escapes, so the file itself looks harmless — must not rewrite the terminal, the GitHub log or a
 * probe script's output. Every text output shows such characters escaped (`\x1b[1A`); JSON keeps the exact value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../probe/fixtures';
import { builtCliSkip, run, runBuilt, tempTree } from './helpers';

/** The name from the issue: moves up a line, returns, erases it, prints a fake all-clear, sets the window title. */
const EVIL = 'evil\x1b[1A\r\x1b[2K\x1b[32mexamples look fine\x1b[0m\x1b]0;PWNED-TITLE\x07';
const EVIL_YAML = '"evil\\e[1A\\r\\e[2K\\e[32mexamples look fine\\e[0m\\e]0;PWNED-TITLE\\a"';
/** How every text output shows it. */
const SHOWN = 'evil\\x1b[1A\\r\\x1b[2K\\x1b[32mexamples look fine\\x1b[0m\\x1b]0;PWNED-TITLE\\x07';

const ALLOWLIST = [
  'allowlist: 1',
  'outbound:',
  `  - name: ${EVIL_YAML}`,
  '    to: "bad\\u202ehost.example.com"',
  '    ports: 443',
  'inbound:',
  '  - name: inbound-too-broad',
  '    from: any',
  '    to: 10.0.0.1',
  '    ports: 22',
  `  - name: ${EVIL_YAML}`,
  '    from: any',
  '    to: 10.0.0.2',
  '    ports: 22',
  '',
].join('\n');

/** No character a terminal would obey or that reorders text: only line feeds are left. */
function assertNoRawControls(output: string, what: string): void {
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.exec(output);
  assert.equal(raw, null, `${what} has a raw U+${raw?.[0].codePointAt(0)?.toString(16).padStart(4, '0')}:\n${output}`);
}

test('lint (text, the built CLI): the name is shown escaped, the real inbound-too-broad line survives, and control-character reports it', { skip: builtCliSkip }, () => {
  const { dir, cleanup } = tempTree({ 'evil.allowlist.yaml': ALLOWLIST });
  try {
    const result = runBuilt(dir, ['lint', 'evil.allowlist.yaml']);
    assert.equal(result.status, 1, result.stderr);
    assertNoRawControls(result.stdout, 'lint text');
    assert.ok(result.stdout.includes(`already named "${SHOWN}"`), result.stdout);
    assert.match(result.stdout, /^evil\.allowlist\.yaml:3:11: error name contains U\+001B \(escape\), U\+000D \(carriage return\), U\+0007 \(bell\): .* \[control-character\]$/m);
    assert.match(result.stdout, /^evil\.allowlist\.yaml:4:9: error to contains U\+202E \(right-to-left override\).*\[control-character\]$/m);
    assert.ok(result.stdout.includes('"bad\\u202ehost.example.com" is not a valid host name'), result.stdout);
    assert.match(result.stdout, /^evil\.allowlist\.yaml:8:11: error from: any lets in every address .*\[inbound-too-broad\]$/m);
  } finally {
    cleanup();
  }
});

test('lint --format github: annotations show the name escaped, one line each; json and sarif keep the exact value, their raw text escaped', async () => {
  const { dir, cleanup } = tempTree({ 'evil.allowlist.yaml': ALLOWLIST });
  try {
    const github = await run(dir, ['lint', '--format', 'github', 'evil.allowlist.yaml']);
    assert.equal(github.code, 1, github.stderr);
    assertNoRawControls(github.stdout, 'github annotations');
    const lines = github.stdout.trimEnd().split('\n');
    assert.ok(lines.slice(0, -1).every((line) => line.startsWith('::')), github.stdout);
    assert.ok(lines.some((line) => line.startsWith('::error file=evil.allowlist.yaml,line=3,col=11,') && line.includes('title=control-character::name contains U+001B')), github.stdout);
    assert.ok(lines.some((line) => line.includes(`title=duplicate-name::another rule is already named "${SHOWN}"`)), github.stdout);

    for (const format of ['json', 'sarif']) {
      const result = await run(dir, ['lint', '--format', format, 'evil.allowlist.yaml']);
      assert.equal(result.code, 1, result.stderr);
      assertNoRawControls(result.stdout, format);
      assert.ok(result.stdout.includes('\\u001b[1A') && result.stdout.includes('\\u202e'), result.stdout);
      // Parsed, the messages are the exact ones: no double escaping.
      const messages: string[] = format === 'json' ? JSON.parse(result.stdout).files[0].findings.map((f: { message: string }) => f.message) : JSON.parse(result.stdout).runs[0].results.map((r: { message: { text: string } }) => r.message.text);
      assert.ok(messages.includes(`another rule is already named "${EVIL}" (outbound rule 1); rule names must be unique`), messages.join('\n'));
    }
  } finally {
    cleanup();
  }
});

test('diff (text and markdown): rule names and introduced findings are shown escaped', async () => {
  const before = 'allowlist: 1\ninbound:\n  - name: ssh\n    from: 198.51.100.7\n    to: 10.0.0.5\n    ports: 22\n';
  const after = `allowlist: 1\ninbound:\n  - name: ssh\n    from: 198.51.100.7\n    to: 10.0.0.5\n    ports: 22\n  - name: ${EVIL_YAML}\n    from: 203.0.113.9\n    to: 10.0.0.6\n    ports: 3389\n`;
  const { dir, cleanup } = tempTree({ 'old.allowlist.yaml': before, 'new.allowlist.yaml': after });
  try {
    for (const format of ['text', 'markdown']) {
      const result = await run(dir, ['diff', '--no-index', '--format', format, 'old.allowlist.yaml', 'new.allowlist.yaml']);
      assert.equal(result.code, 0, result.stderr);
      assertNoRawControls(result.stdout, `diff ${format}`);
      const shown = format === 'markdown' ? SHOWN.replace(/\\/g, '\\\\') : SHOWN;
      assert.ok(result.stdout.includes(shown), result.stdout);
      assert.match(result.stdout, /control-character/);
    }
  } finally {
    cleanup();
  }
});

test('explain (text and markdown): a catalog\'s vendor name and role are shown escaped', async () => {
  const catalog = [
    'catalog: 1',
    'vendor: { id: acme, name: "Acme\\e]0;PWNED-TITLE\\a" }',
    'endpoints:',
    '  - id: relay',
    '    role: "relay\\r\\e[2K\\e[32mall fine\\u202e"',
    '    host: relay.acme.example',
    '    ports: [443]',
    '    allowlist-by: hostname',
    '    source: { url: "https://acme.example/firewall" }',
    '',
  ].join('\n');
  const { dir, cleanup } = tempTree({ 'acme.catalog.yaml': catalog });
  try {
    for (const format of ['text', 'markdown']) {
      const result = await run(dir, ['explain', '--format', format, '--catalog', 'acme.catalog.yaml', 'relay.acme.example']);
      assert.equal(result.code, 0, result.stderr);
      assertNoRawControls(result.stdout, `explain ${format}`);
      // Markdown escapes the backslashes and brackets of the escapes again; the vendor's words are put on one line.
      const expected = format === 'markdown' ? ['Acme\\\\x1b\\]0;PWNED-TITLE\\\\x07', '“relay \\\\x1b\\[2K\\\\x1b\\[32mall fine\\\\u202e”'] : ['Acme\\x1b]0;PWNED-TITLE\\x07', '“relay \\x1b[2K\\x1b[32mall fine\\u202e”'];
      for (const text of expected) assert.ok(result.stdout.includes(text), `${text} in:\n${result.stdout}`);
    }
  } finally {
    cleanup();
  }
});

/** An outbound rule to a closed port on 127.0.0.1: the probe fails, so the summary names the rule. */
async function probeFile(): Promise<string> {
  const port = await closedPort();
  return `allowlist: 1\noutbound:\n  - name: ${EVIL_YAML}\n    to: 127.0.0.1\n    ports: ${port}\n`;
}

test('probe: the table and the summary show the rule name escaped', async () => {
  const { dir, cleanup } = tempTree({ 'evil.allowlist.yaml': await probeFile() });
  try {
    const result = await run(dir, ['probe', '--timeout', '2000', 'evil.allowlist.yaml']);
    assert.equal(result.code, 1, result.stderr);
    assertNoRawControls(result.stdout, 'probe output');
    const summary = result.stdout.split('\n\n').slice(1).join('\n');
    assert.ok(summary.includes(`1 required endpoint(s) not reachable: ${SHOWN} 127.0.0.1:`), result.stdout);
    // The table clips its cells at 40 characters: the rule's cell starts the same way.
    assert.ok(result.stdout.split('\n')[2].startsWith(SHOWN.slice(0, 30)), result.stdout);
  } finally {
    cleanup();
  }
});

const has = (tool: string) => spawnSync('which', [tool], { stdio: 'ignore' }).status === 0;

test('probe-script: the scripts carry the rule name escaped, and the bash script prints it so', async () => {
  const { dir, cleanup } = tempTree({ 'evil.allowlist.yaml': await probeFile() });
  try {
    for (const shell of ['powershell', 'bash']) {
      const result = await run(dir, ['probe-script', '--shell', shell, '--timeout', '2000', '-o', `probe.${shell}`, 'evil.allowlist.yaml']);
      assert.equal(result.code, 0, result.stderr);
      const script = readFileSync(join(dir, `probe.${shell}`), 'utf8').replace(/\r\n/g, '\n');
      assertNoRawControls(script, `${shell} script`);
      assert.ok(script.includes(`'${SHOWN}'`), script);
    }
    if (!has('bash') || !has('timeout')) return;
    const output = await promisify(execFile)('bash', [join(dir, 'probe.bash')], { encoding: 'utf8', timeout: 60_000 }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    assertNoRawControls(output, 'bash script output');
    assert.ok(output.includes(`required endpoint(s) not reachable: ${SHOWN} 127.0.0.1:`), output);
  } finally {
    cleanup();
  }
});

test('file names are file-supplied too: paths in findings and in error messages are shown escaped', async () => {
  const name = 'evil\x1b]0;PWNED-TITLE\x07.allowlist.yaml';
  const { dir, cleanup } = tempTree({ [name]: 'allowlist: 1\noutbound:\n  - name: web\n    to: example.com\n    ports: 99999\n' });
  try {
    for (const format of ['text', 'github']) {
      const result = await run(dir, ['lint', '--format', format, '.']);
      assert.equal(result.code, 1, result.stderr);
      assertNoRawControls(result.stdout, `lint ${format}`);
      assert.ok(result.stdout.includes('evil\\x1b]0;PWNED-TITLE\\x07.allowlist.yaml'), result.stdout);
    }
    const missing = await run(dir, ['lint', '--catalog', 'gone\x1b[2K.catalog.yaml', '.']);
    assert.equal(missing.code, 2);
    assertNoRawControls(missing.stderr, 'the error message');
    assert.match(missing.stderr, /^allowlist: error: catalog gone\\x1b\[2K\.catalog\.yaml \(--catalog\): no such file or folder\n$/);
  } finally {
    cleanup();
  }
});
