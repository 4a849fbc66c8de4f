/** Symbolic links committed to git: `allowlist diff` and `lint --new-since` follow a link to a file inside the
 * repository at a revision as in the work tree, and leave out on both sides one that leads elsewhere. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../cli/helpers';
import { makeRepo, SITE_HEAD } from './helpers';

const files = (stdout: string): string[][] => JSON.parse(stdout).files.map((file: { file: string; status: string }) => [file.file, file.status]);

test('a symlinked allowlist is its target\'s text at a revision too (diff, lint --new-since); a change to the target changes both', async () => {
  const repo = makeRepo({ 'shared.yaml': SITE_HEAD, 'siteA/.keep': '' });
  const outside = mkdtempSync(join(tmpdir(), 'allowlist-outside-'));
  try {
    writeFileSync(join(outside, 'elsewhere.allowlist.yaml'), SITE_HEAD);
    symlinkSync('../shared.yaml', join(repo.dir, 'siteA/site.allowlist.yaml'));
    symlinkSync(join(outside, 'elsewhere.allowlist.yaml'), join(repo.dir, 'out.allowlist.yaml'));
    symlinkSync('loop.allowlist.yaml', join(repo.dir, 'loop.allowlist.yaml'));
    repo.commit('links');

    const none = await run(repo.dir, ['diff', '--base', 'HEAD', '--fail-on', 'any', '--format', 'json']);
    assert.equal(none.code, 0, none.stdout + none.stderr);
    assert.deepEqual(files(none.stdout), []);

    const lint = await run(repo.dir, ['lint', '--new-since', 'HEAD', '--format', 'json', 'siteA/site.allowlist.yaml']);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.ok(JSON.parse(lint.stdout).newSince.leftOut > 0, 'the findings at HEAD are the target\'s');

    repo.write('shared.yaml', SITE_HEAD.replace('ports: 443\n', 'ports: [443, 8443]\n'));
    repo.commit('widen the shared allowlist');
    const changed = await run(repo.dir, ['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    assert.deepEqual(files(changed.stdout), [
      ['shared.yaml', 'modified'],
      ['siteA/site.allowlist.yaml', 'modified'],
    ]);
  } finally {
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});
