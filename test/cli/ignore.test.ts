/** `# allowlist-ignore` comments stacked on lines of their own, trailing code, and mixed, through the built CLI
 * (dist/cli.js lint, as CI runs it). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isolatingConfig, tempTree, TODAY } from './helpers';

const CLI = resolve(__dirname, '../../dist/cli.js');

/** A rule whose `to:` line has two findings, invalid-address (10.0.0.256) and wildcard-too-broad (*.com), under the given comment lines. */
const rule = (comments: string[], to = '    to: [10.0.0.256, "*.com"]') => ['allowlist: 1', 'outbound:', '  - name: lab', ...comments, to, '    ports: 443', ''].join('\n');

test('ignore comments through dist/cli.js lint: stacked, trailing and mixed; one that silences nothing is reported; CRLF', { skip: existsSync(CLI) ? false : 'dist/cli.js is absent: run `npm run build` first (subprocess test skipped)' }, () => {
  const { dir, cleanup } = tempTree({
    '.allowlistrc.yaml': isolatingConfig({ 'invalid-address': 'error', 'wildcard-too-broad': 'warning' }),
    'stacked.allowlist.yaml': rule(['    # allowlist-ignore invalid-address: lab range', '    # allowlist-ignore wildcard-too-broad: vendor wildcard']),
    'mixed.allowlist.yaml': rule(['    # allowlist-ignore invalid-address: lab range'], '    to: [10.0.0.256, "*.com"]  # allowlist-ignore wildcard-too-broad: vendor wildcard'),
    'stale.allowlist.yaml': rule(['    # allowlist-ignore invalid-address: lab range', '    # allowlist-ignore expired-rule: it is not expired', '    # allowlist-ignore wildcard-too-broad: vendor wildcard']),
    'crlf.allowlist.yaml': rule(['    # allowlist-ignore invalid-address', '    # allowlist-ignore wildcard-too-broad: vendor wildcard  ']).replace(/\n/g, '\r\n'),
  });
  try {
    const result = spawnSync(process.execPath, [CLI, 'lint', '--today', TODAY], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(result.stderr, '');
    assert.equal(
      result.stdout,
      [
        'crlf.allowlist.yaml:4:5: warning allowlist-ignore invalid-address needs a reason: `# allowlist-ignore invalid-address: why` [ignore-comment]',
        'stale.allowlist.yaml:5:5: warning allowlist-ignore expired-rule silences nothing on the line it applies to; remove it [ignore-comment]',
        '',
        '2 warnings in 2 of 4 files',
        '',
      ].join('\n'),
    );
    assert.equal(result.status, 0, 'warnings only');
  } finally {
    cleanup();
  }
});
