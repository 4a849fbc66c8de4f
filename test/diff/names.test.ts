/** `allowlist diff` and `allowlist lint --new-since` with file names that mean something to git: glob characters and
 * pathspec magic (paths are literal on both sides), a newline (git's line-based requests). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../cli/helpers';
import { makeRepo, SITE, SITE_HEAD } from './helpers';

test('diff paths are literal at the base and in the work tree: [1] is no glob, a leading : no magic', async () => {
  const repo = makeRepo({ 'site[1].allowlist.yaml': SITE, 'site1.allowlist.yaml': SITE, ':odd.allowlist.yaml': SITE });
  try {
    const bracket = await run(repo.dir, ['diff', '--fail-on', 'opened', '--format', 'json', '--', 'site[1].allowlist.yaml']);
    assert.equal(bracket.code, 0, bracket.stdout + bracket.stderr);
    assert.deepEqual(JSON.parse(bracket.stdout).files, []);

    const star = await run(repo.dir, ['diff', '--', 'site*.allowlist.yaml']);
    assert.equal(star.code, 2);
    assert.match(star.stderr, /site\*\.allowlist\.yaml: no such file or folder/);

    const magic = await run(repo.dir, ['diff', '--fail-on', 'any', '--', ':odd.allowlist.yaml']);
    assert.equal(magic.code, 0, magic.stderr);

    repo.write('site[1].allowlist.yaml', SITE.replace('ports: 443\n', 'ports: [443, 8443]\n'));
    const changed = await run(repo.dir, ['diff', '--format', 'json', '--', 'site[1].allowlist.yaml']);
    assert.deepEqual(
      JSON.parse(changed.stdout).files.map((file: { file: string; status: string }) => [file.file, file.status]),
      [['site[1].allowlist.yaml', 'modified']],
    );
  } finally {
    repo.cleanup();
  }
});

test('a file name with a newline is read at a revision, and so is every file after it (diff, lint --new-since)', async () => {
  const odd = 'a\nb.allowlist.yaml';
  const repo = makeRepo({ [odd]: SITE_HEAD, 'z.allowlist.yaml': SITE_HEAD });
  try {
    const none = await run(repo.dir, ['diff', '--fail-on', 'any', '--format', 'json']);
    assert.equal(none.code, 0, none.stdout + none.stderr);
    assert.deepEqual(JSON.parse(none.stdout).files, []);

    const lint = await run(repo.dir, ['lint', '--new-since', 'HEAD', '--format', 'json']);
    const report = JSON.parse(lint.stdout);
    assert.deepEqual(
      report.files.flatMap((file: { findings: unknown[] }) => file.findings),
      [],
    );
    assert.ok(report.newSince.leftOut >= 2, 'the inbound-too-broad errors of both files are old');
    assert.equal(lint.code, 0, lint.stderr);

    repo.write(odd, SITE_HEAD.replace('ports: 443\n', 'ports: [443, 8443]\n'));
    repo.commit('widen');
    const changed = await run(repo.dir, ['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
    assert.deepEqual(
      JSON.parse(changed.stdout).files.map((file: { file: string; status: string }) => [file.file, file.status]),
      [[odd, 'modified']],
    );
  } finally {
    repo.cleanup();
  }
});
