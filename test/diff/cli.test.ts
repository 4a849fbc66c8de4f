/** `allowlist diff` and `allowlist lint --new-since` on git repositories the tests create. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyNewSince } from '../../src/cli/new-since';
import { main } from '../../src/cli/main';
import { fakeIO, run, tempTree } from '../cli/helpers';
import { makeRepo, OFFICE, SITE, SITE_HEAD } from './helpers';

const TODAY = '2026-01-01';

test('diff against the merge base with main: modified, added and deleted allowlists, work tree as head', async () => {
  const repo = makeRepo({ 'sites/site.allowlist.yaml': SITE, 'office.yaml': OFFICE, 'notes.yaml': 'just: yaml\n', 'node_modules/x/y.allowlist.yaml': OFFICE });
  try {
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('sites/site.allowlist.yaml', SITE_HEAD);
    repo.commit('feature work');
    // Main moves on after the branch: the merge base, not main's tip, is the base.
    repo.git('checkout', '-q', 'main');
    repo.write('later.allowlist.yaml', OFFICE);
    repo.commit('main moves on');
    repo.git('checkout', '-q', 'feature');
    repo.remove('office.yaml');
    repo.write('branch/new.allowlist.yaml', 'allowlist: 1\ninbound:\n  - name: ssh\n    from: 198.51.100.7\n    to: 10.0.0.5\n    ports: 22\n');

    const json = await run(repo.dir, ['diff', '--format', 'json', '--today', TODAY]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(
      report.files.map((file: { file: string; status: string }) => [file.file, file.status]),
      [
        ['branch/new.allowlist.yaml', 'added'],
        ['office.yaml', 'deleted'],
        ['sites/site.allowlist.yaml', 'modified'],
      ],
    );
    assert.match(report.base, /^merge-base\(main, HEAD\) \([0-9a-f]{7}\)$/);
    assert.equal(report.head, 'work tree');
    assert.deepEqual(
      report.changes.map((change: { kind: string; direction?: string; file: string; rule?: string }) => [change.kind, change.direction, change.file, change.rule]),
      [
        ['opened', 'inbound', 'sites/site.allowlist.yaml', 'ticket-api'],
        ['opened', 'inbound', 'branch/new.allowlist.yaml', 'ssh'],
        ['requirement-unmet', 'outbound', 'sites/site.allowlist.yaml', 'hdb-uploads'],
        ['closed', 'outbound', 'office.yaml', 'web'],
        ['closed', 'outbound', 'sites/site.allowlist.yaml', 'hdb-uploads'],
      ],
    );
    for (const change of report.changes) assert.equal(typeof change.summary, 'string');
    assert.deepEqual(report.changes[2].roles, ['upload diagnostic data/Images']);
    assert.deepEqual(
      report.findings.introduced.map((finding: { ruleId: string }) => finding.ruleId).sort(),
      ['inbound-too-broad', 'missing-endpoint'],
    );

    const markdown = await run(repo.dir, ['diff', '--format', 'markdown', '--today', TODAY]);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.match(markdown.stdout, /^### Allowlist changes\n\n\*\*⚠ Opens inbound access from any to 10\.0\.0\.20:443 \(and 1 more inbound\); closes 1 vendor endpoint; closes 1 other endpoint; introduces 2 findings\*\*\n/);
    assert.match(markdown.stdout, /\| ✖ requirement unmet \| Helpdesk Buttons \| “upload diagnostic data\/Images” \|/);
    assert.match(markdown.stdout, /- `branch\/new\.allowlist\.yaml` added\n- `office\.yaml` deleted/);

    // Paths limit the diff; a path in a sub-folder is relative to the working folder.
    const limited = await run(join(repo.dir, 'sites'), ['diff', '--format', 'json', '--today', TODAY, '.']);
    assert.deepEqual(JSON.parse(limited.stdout).files.map((file: { file: string }) => file.file), ['sites/site.allowlist.yaml']);
  } finally {
    repo.cleanup();
  }
});

test('diff between two revisions (--base, --head); no effect; --fail-on exit codes', async () => {
  const repo = makeRepo({ 'site.allowlist.yaml': SITE });
  try {
    const base = repo.git('rev-parse', 'HEAD').trim();
    // A commit that only reorders and reformats.
    repo.write('site.allowlist.yaml', SITE.replace('ports: [443, "2001-2500"]', 'ports:\n      - 443\n      - 2001-2500'));
    const reformatted = repo.commit('reformat');
    const none = await run(repo.dir, ['diff', '--base', base, '--head', reformatted, '--format', 'json', '--fail-on', 'any']);
    assert.equal(none.code, 0, none.stderr);
    const noneReport = JSON.parse(none.stdout);
    assert.equal(noneReport.noEffect, true);
    assert.deepEqual(noneReport.changes, []);
    assert.equal(noneReport.verdict, '✓ No change in effect');
    assert.deepEqual(noneReport.notes, ['formatting, comments or list style changed only']);

    repo.write('site.allowlist.yaml', SITE_HEAD);
    const head = repo.commit('open inbound');
    const args = ['diff', '--base', base, '--head', head, '--today', TODAY];
    assert.equal((await run(repo.dir, [...args, '--fail-on', 'widened,expiry'])).code, 0);
    const failed = await run(repo.dir, [...args, '--fail-on', 'introduced,opened-inbound']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /the change has introduced, opened-inbound \(--fail-on\)/);
    assert.match(failed.stdout, /^⚠ Opens inbound access from any to 10\.0\.0\.20:443; closes 1 vendor endpoint/);
    assert.equal((await run(repo.dir, [...args, '--fail-on', 'requirement-unmet'])).code, 1);
    assert.equal((await run(repo.dir, [...args, '--fail-on', 'opened-outbound'])).code, 0);
    const bad = await run(repo.dir, [...args, '--fail-on', 'openned']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --fail-on "openned"/);
    const format = await run(repo.dir, [...args, '--format', 'html']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /unknown --format "html"; expected text, markdown, json/);
  } finally {
    repo.cleanup();
  }
});

test('--fail-on opened-inbound fails an inbound rule widened to from: any or given another port (exit 1)', async () => {
  const inbound = `${SITE}inbound:\n  - name: ticket-api\n    from: 203.0.113.10\n    to: 10.0.0.20\n    ports: 443\n`;
  const repo = makeRepo({ 'site.allowlist.yaml': inbound });
  try {
    const base = repo.git('rev-parse', 'HEAD').trim();
    const args = ['diff', '--base', base, '--today', TODAY, '--fail-on', 'opened-inbound'];
    repo.write('site.allowlist.yaml', inbound.replace('from: 203.0.113.10', 'from: any'));
    const toAny = await run(repo.dir, args);
    assert.equal(toAny.code, 1, toAny.stdout);
    assert.match(toAny.stdout, /widened +Widens inbound access from any to 10\.0\.0\.20 on TCP 443/);
    assert.match(toAny.stderr, /the change has opened-inbound \(--fail-on\)/);

    repo.write('site.allowlist.yaml', inbound.replace('    to: 10.0.0.20\n    ports: 443\n', '    to: 10.0.0.20\n    ports: [22, 443]\n'));
    const port22 = await run(repo.dir, args);
    assert.equal(port22.code, 1, port22.stdout);
    assert.match(port22.stdout, /Widens inbound access from 203\.0\.113\.10 to 10\.0\.0\.20 on TCP 22 /);
    assert.equal((await run(repo.dir, [...args.slice(0, -1), 'opened-outbound'])).code, 0);
  } finally {
    repo.cleanup();
  }
});

test('a removed rule that an outbound to: any still covers is a removed line, not "no change in effect"; --fail-on removed', async () => {
  const withAny = `${SITE}  - name: web\n    to: any\n    ports: [80, 443]\n`;
  const repo = makeRepo({ 'site.allowlist.yaml': withAny });
  try {
    repo.write('site.allowlist.yaml', withAny.replace('  - name: hdb-uploads\n    vendor: helpdesk-buttons\n    to: hdb-stuff.s3.amazonaws.com\n    ports: 443\n', ''));
    const result = await run(repo.dir, ['diff', '--base', 'main', '--today', TODAY, '--fail-on', 'removed']);
    assert.equal(result.code, 1, result.stdout);
    assert.match(result.stdout, /^ℹ Removes 1 rule whose access stays allowed\n/);
    assert.match(result.stdout, /\n  removed +Removes rule hdb-uploads \(outbound to hdb-stuff\.s3\.amazonaws\.com\); nothing closes: its access is still allowed by rule web\.\n/);
    assert.doesNotMatch(result.stdout, /no change in effect/);
  } finally {
    repo.cleanup();
  }
});

test('unknown revision, not a repository, no default branch: exit 2 with a clear message', async () => {
  const repo = makeRepo({ 'site.allowlist.yaml': SITE });
  const outside = mkdtempSync(join(tmpdir(), 'allowlist-norepo-'));
  try {
    const unknown = await run(repo.dir, ['diff', '--base', 'no-such-branch']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^allowlist: error: unknown revision "no-such-branch"/);
    const unknownHead = await run(repo.dir, ['diff', '--base', 'main', '--head', 'v9']);
    assert.equal(unknownHead.code, 2);
    assert.match(unknownHead.stderr, /unknown revision "v9"/);

    writeFileSync(join(outside, 'a.allowlist.yaml'), SITE);
    const notRepo = await run(outside, ['diff']);
    assert.equal(notRepo.code, 2);
    assert.match(notRepo.stderr, /^allowlist: error: .* is not in a git repository\n$/);
    // A repository with no commit has no revision to pass: the way out is a commit, or --no-index.
    execFileSync('git', ['init', '-q'], { cwd: outside });
    const noCommit = await run(outside, ['diff']);
    assert.equal(noCommit.code, 2);
    assert.equal(noCommit.stderr, 'allowlist: error: the repository has no commits yet, so there is nothing to compare with: commit first, or compare two files with --no-index\n');

    repo.git('branch', '-m', 'main', 'trunk');
    const noDefault = await run(repo.dir, ['diff']);
    assert.equal(noDefault.code, 2);
    assert.match(noDefault.stderr, /cannot find the default branch \(no origin\/HEAD, main or master\); pass --base REF/);
  } finally {
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});

test('two files: allowlist diff OLD NEW; a file that does not parse is reported, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-files-'));
  try {
    writeFileSync(join(dir, 'old.yaml'), SITE);
    writeFileSync(join(dir, 'new.yaml'), SITE_HEAD);
    writeFileSync(join(dir, 'broken.yaml'), `${SITE}  - name: [oops\n`);
    const result = await run(dir, ['diff', 'old.yaml', 'new.yaml', '--today', TODAY]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^⚠ Opens inbound access from any to 10\.0\.0\.20:443; closes 1 vendor endpoint/);
    assert.match(result.stdout, /requirement-unmet Breaks Helpdesk Buttons "upload diagnostic data\/Images"/);

    const broken = await run(dir, ['diff', 'old.yaml', 'broken.yaml', '--format', 'json', '--fail-on', 'unparsable']);
    assert.equal(broken.code, 1);
    const report = JSON.parse(broken.stdout);
    assert.equal(report.files[0].unparsable, 'head');
    assert.match(report.notes[0], /the head version does not parse \(YAML error at line \d+: /);
    assert.ok(report.findings.introduced.some((finding: { ruleId: string }) => finding.ruleId === 'yaml-syntax'));
    const missing = await run(dir, ['diff', 'old.yaml', 'nope.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nope\.yaml: no such file or folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lint --new-since REF: only findings the work tree introduces, with a note in every format', async () => {
  const old = `allowlist: 1
outbound:
  - name: legacy
    to: example.com
    ports: 99999
`;
  const repo = makeRepo({ 'a.allowlist.yaml': old, 'b.allowlist.yaml': old });
  try {
    // The old finding moves (a rule is added above it, and its rule is renamed); a new one appears.
    repo.write('a.allowlist.yaml', old.replace('  - name: legacy\n', '  - name: fresh\n    to: example.org\n    ports: 70000\n  - name: legacy-renamed\n'));
    repo.write('c.allowlist.yaml', old); // absent at REF: all its findings are new
    const text = await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY]);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^a\.allowlist\.yaml:5:\d+: error .*70000/);
    assert.doesNotMatch(text.stdout, /a\.allowlist\.yaml:8/);
    assert.doesNotMatch(text.stdout, /b\.allowlist\.yaml/);
    assert.match(text.stdout, /c\.allowlist\.yaml/);
    assert.match(text.stdout, /--new-since main: 2 findings that already existed at main \([0-9a-f]{7}\) are not shown\n$/);

    const json = JSON.parse((await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'json'])).stdout);
    assert.equal(json.newSince.leftOut, 2);
    assert.equal(json.newSince.ref, 'main');
    const sarif = JSON.parse((await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'sarif'])).stdout);
    assert.equal(sarif.runs[0].properties.newSince.leftOut, 2);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications.at(-1).message.text, /2 findings that already existed/);
    const github = await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'github']);
    assert.match(github.stdout, /::notice title=allowlist --new-since::--new-since main: 2 findings/);

    // Nothing new: exit 0 even though old errors remain.
    repo.remove('c.allowlist.yaml');
    repo.write('a.allowlist.yaml', old);
    const clean = await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY]);
    assert.equal(clean.code, 0, clean.stdout);
    // Run from outside the repository, the linted files' repository is REF's.
    const outside = mkdtempSync(join(tmpdir(), 'allowlist-outside-'));
    try {
      const fromOutside = await run(outside, ['lint', '--new-since', 'main', '--today', TODAY, join(repo.dir, 'a.allowlist.yaml')]);
      assert.equal(fromOutside.code, 0, fromOutside.stderr);
      assert.match(fromOutside.stdout, /1 finding that already existed at main/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }

    const unknown = await run(repo.dir, ['lint', '--new-since', 'nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--new-since: unknown revision "nope"/);
  } finally {
    repo.cleanup();
  }
});

test('lint - --new-since REF: standard input with no name is a new file (all its findings); named, it is that file', async () => {
  const old = 'allowlist: 1\noutbound:\n  - name: legacy\n    to: example.com\n    ports: 99999\n';
  const repo = makeRepo({ 'a.allowlist.yaml': old });
  const lintStdin = async (...args: string[]) => {
    const io = { ...fakeIO(repo.dir), stdin: (async function* () { yield Buffer.from(old); })() };
    const code = await main(['lint', '-', '--new-since', 'HEAD', '--format', 'json', ...args], io);
    return { code, stderr: io.err.join(''), report: code === 2 ? undefined : JSON.parse(io.out.join('')) };
  };
  try {
    const unnamed = await lintStdin();
    assert.equal(unnamed.code, 1, unnamed.stderr);
    assert.deepEqual([unnamed.report.files[0].findings.length, unnamed.report.newSince.leftOut], [1, 0]);
    // A name of a file not (yet) in the work tree: new too.
    const unsaved = await lintStdin('--stdin-filename', 'new.allowlist.yaml');
    assert.equal(unsaved.code, 1, unsaved.stderr);
    assert.deepEqual([unsaved.report.files[0].findings.length, unsaved.report.newSince.leftOut], [1, 0]);
    const named = await lintStdin('--stdin-filename', 'a.allowlist.yaml');
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual([named.report.files[0].findings.length, named.report.newSince.leftOut], [0, 1]);
  } finally {
    repo.cleanup();
  }
});

test('two allowlists of the repository are paths, not OLD NEW; --no-index, outside files and -- decide the mode', async () => {
  const repo = makeRepo({ 'a.allowlist.yaml': SITE, 'b.allowlist.yaml': OFFICE });
  const outside = mkdtempSync(join(tmpdir(), 'allowlist-outside-'));
  try {
    repo.write('a.allowlist.yaml', SITE_HEAD);
    const files = (stdout: string) => JSON.parse(stdout).files.map((file: { file: string; status: string }) => [file.file, file.status]);

    // Both tracked: each is diffed against the base (only a changed), with a hint on stderr.
    const paths = await run(repo.dir, ['diff', 'a.allowlist.yaml', 'b.allowlist.yaml', '--format', 'json', '--today', TODAY]);
    assert.equal(paths.code, 0, paths.stderr);
    assert.deepEqual(files(paths.stdout), [['a.allowlist.yaml', 'modified']]);
    assert.match(JSON.parse(paths.stdout).base, /^merge-base\(main, HEAD\)/);
    assert.match(paths.stderr, /a\.allowlist\.yaml and b\.allowlist\.yaml are diffed as paths of the repository .*allowlist diff --no-index a\.allowlist\.yaml b\.allowlist\.yaml/);

    // After --, always paths, and no hint.
    const dashed = await run(repo.dir, ['diff', '--format', 'json', '--today', TODAY, '--', 'a.allowlist.yaml', 'b.allowlist.yaml']);
    assert.deepEqual(files(dashed.stdout), [['a.allowlist.yaml', 'modified']]);
    assert.equal(dashed.stderr, '');

    // --no-index: one file against the other (OFFICE → SITE_HEAD opens the inbound rule).
    const noIndex = await run(repo.dir, ['diff', '--no-index', 'b.allowlist.yaml', 'a.allowlist.yaml', '--format', 'json', '--today', TODAY]);
    assert.equal(noIndex.code, 0, noIndex.stderr);
    const compared = JSON.parse(noIndex.stdout);
    assert.equal(compared.base, 'b.allowlist.yaml');
    assert.equal(compared.head, 'a.allowlist.yaml');
    assert.ok(compared.changes.some((change: { kind: string; direction: string }) => change.kind === 'opened' && change.direction === 'inbound'));

    // A file outside the repository: OLD NEW, as with git diff.
    writeFileSync(join(outside, 'old.yaml'), OFFICE);
    const mixed = await run(repo.dir, ['diff', join(outside, 'old.yaml'), 'a.allowlist.yaml', '--format', 'json', '--today', TODAY]);
    assert.equal(mixed.code, 0, mixed.stderr);
    assert.equal(JSON.parse(mixed.stdout).head, 'a.allowlist.yaml');

    const both = await run(repo.dir, ['diff', '--no-index', '--base', 'main', 'a.allowlist.yaml', 'b.allowlist.yaml']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--no-index compares two files: it takes no --base or --head/);
    const one = await run(repo.dir, ['diff', '--no-index', 'a.allowlist.yaml']);
    assert.equal(one.code, 2);
    assert.match(one.stderr, /--no-index takes two files, OLD and NEW \(1 given\)/);
  } finally {
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});

test('lint --new-since REF lints again at REF only the files whose text changed', async () => {
  const old = 'allowlist: 1\noutbound:\n  - name: legacy\n    to: example.com\n    ports: 99999\n';
  const repo = makeRepo({ 'a.allowlist.yaml': old, 'b.allowlist.yaml': old });
  try {
    repo.write('a.allowlist.yaml', old.replace('99999', '70000'));
    const finding = (subject: string) => ({ ruleId: 'invalid-port', severity: 'error' as const, message: '', range: { start: 0, end: 0 }, subject });
    const report = (path: string, text: string, subject: string) => ({ report: { path, uri: path, text, findings: [finding(subject)] }, path: join(repo.dir, path) });
    const linted: string[] = [];
    const result = applyNewSince(repo.dir, 'main', [report('a.allowlist.yaml', old.replace('99999', '70000'), 'new'), report('b.allowlist.yaml', old, 'old')], (path) => {
      linted.push(path);
      return [finding('old')];
    });
    assert.deepEqual(linted, [join(repo.dir, 'a.allowlist.yaml')], 'b is unchanged: not linted again');
    assert.equal(result.leftOut, 1, "b's finding is old");
  } finally {
    repo.cleanup();
  }
});

test('lint --new-since REF: a file unchanged since REF shows none of its findings; its UTF-16 warning is new only where its encoding is', async () => {
  const old = 'allowlist: 1\noutbound:\n  - name: legacy\n    to: example.com\n    ports: 99999\n';
  const repo = makeRepo({ 'a.allowlist.yaml': old });
  try {
    // As Windows PowerShell 5.1's `>` writes it: UTF-16LE with a byte order mark.
    writeFileSync(join(repo.dir, 'w.allowlist.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(old, 'utf16le')]));
    repo.commit('a UTF-16 site');
    repo.write('a.allowlist.yaml', old.replace('99999', '70000'));
    const all = JSON.parse((await run(repo.dir, ['lint', '--today', TODAY, '--format', 'json'])).stdout);
    assert.deepEqual(all.files[1].findings.map((finding: { subject: string }) => finding.subject).sort(), ['file:utf-16', 'outbound:legacy:ports:99999'], 'without --new-since');
    const lint = JSON.parse((await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'json'])).stdout);
    assert.deepEqual(
      lint.files.map((file: { path: string; findings: { ruleId: string }[] }) => [file.path, file.findings.map((finding) => finding.ruleId)]),
      [
        ['a.allowlist.yaml', ['invalid-port']],
        ['w.allowlist.yaml', []],
      ],
    );
    assert.equal(lint.newSince.leftOut, 2);

    // Edited but UTF-16 at REF too: its warning is old. The same text saved again as UTF-16: only the warning is new.
    const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    writeFileSync(join(repo.dir, 'w.allowlist.yaml'), utf16(old.replace('legacy', 'legacy-renamed').replace('99999', '80000')));
    writeFileSync(join(repo.dir, 'a.allowlist.yaml'), utf16(old));
    const edited = JSON.parse((await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'json'])).stdout);
    assert.deepEqual(
      edited.files.map((file: { path: string; findings: { subject: string }[] }) => [file.path, file.findings.map((finding) => finding.subject)]),
      [
        ['a.allowlist.yaml', ['file:utf-16']],
        ['w.allowlist.yaml', ['outbound:legacy-renamed:ports:80000']],
      ],
    );
  } finally {
    repo.cleanup();
  }
});

test('a file moved with git mv, or renamed with small edits, is compared with its old self (diff and lint --new-since)', async () => {
  // SITE_HEAD has two findings (inbound-too-broad, missing-endpoint) at the base.
  const repo = makeRepo({ 'sites/site.allowlist.yaml': SITE_HEAD, 'other.allowlist.yaml': OFFICE });
  try {
    repo.git('checkout', '-q', '-b', 'feature');
    mkdirSync(join(repo.dir, 'sites/contoso'));
    repo.git('mv', 'sites/site.allowlist.yaml', 'sites/contoso/site.allowlist.yaml');

    const moved = await run(repo.dir, ['diff', '--format', 'json', '--today', TODAY, '--fail-on', 'any,introduced']);
    assert.equal(moved.code, 0, moved.stdout);
    const report = JSON.parse(moved.stdout);
    assert.deepEqual(
      report.files.map((file: { file: string; status: string; previousFile?: string }) => [file.file, file.status, file.previousFile]),
      [['sites/contoso/site.allowlist.yaml', 'renamed', 'sites/site.allowlist.yaml']],
    );
    assert.deepEqual(report.changes, []);
    assert.deepEqual(report.findings, { introduced: [], resolved: [] });
    assert.equal(report.verdict, '✓ No change in effect');
    assert.deepEqual(report.notes, ['file renamed from sites/site.allowlist.yaml']);
    const text = await run(repo.dir, ['diff', '--today', TODAY]);
    assert.match(text.stdout, /sites\/contoso\/site\.allowlist\.yaml \(renamed from sites\/site\.allowlist\.yaml\): no change in effect/);
    // Limited to the new folder: the old path lies outside it, and the file is still a move.
    const limited = JSON.parse((await run(repo.dir, ['diff', '--format', 'json', '--today', TODAY, 'sites/contoso'])).stdout);
    assert.deepEqual(limited.changes, []);
    assert.equal(limited.files[0].status, 'renamed');

    const lint = await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'json']);
    assert.equal(lint.code, 0, lint.stdout);
    const linted = JSON.parse(lint.stdout);
    assert.deepEqual(linted.files.flatMap((file: { findings: unknown[] }) => file.findings), []);
    assert.ok(linted.newSince.leftOut >= 2, `left out ${linted.newSince.leftOut}`);

    // Committed, renamed again with a small edit (an owner): a metadata change, nothing opened or closed.
    repo.commit('move');
    repo.git('mv', 'sites/contoso/site.allowlist.yaml', 'sites/contoso.allowlist.yaml');
    repo.write('sites/contoso.allowlist.yaml', SITE_HEAD.replace('    ports: 443\n', '    ports: 443\n    owner: noc@example.com\n'));
    const head = repo.commit('rename with an owner');
    const edited = JSON.parse((await run(repo.dir, ['diff', '--base', 'main', '--head', head, '--format', 'json', '--today', TODAY])).stdout);
    assert.deepEqual(edited.files.map((file: { file: string; status: string; previousFile?: string }) => [file.file, file.status, file.previousFile]), [['sites/contoso.allowlist.yaml', 'renamed', 'sites/site.allowlist.yaml']]);
    assert.deepEqual(edited.changes.map((change: { kind: string; rule: string }) => [change.kind, change.rule]), [['metadata', 'hdb-api']]);
    assert.deepEqual(edited.findings, { introduced: [], resolved: [] });

    // A plain mv (the new path not added to git yet) is found too, without touching the repository's index.
    const index = repo.git('ls-files', '--stage');
    renameSync(join(repo.dir, 'sites/contoso.allowlist.yaml'), join(repo.dir, 'contoso.allowlist.yaml'));
    const plain = JSON.parse((await run(repo.dir, ['diff', '--format', 'json', '--today', TODAY])).stdout);
    assert.deepEqual(plain.files.map((file: { file: string; status: string; previousFile?: string }) => [file.file, file.status, file.previousFile]), [['contoso.allowlist.yaml', 'renamed', 'sites/site.allowlist.yaml']]);
    assert.deepEqual(plain.findings, { introduced: [], resolved: [] });
    const plainLint = JSON.parse((await run(repo.dir, ['lint', '--new-since', 'main', '--today', TODAY, '--format', 'json', 'contoso.allowlist.yaml'])).stdout);
    assert.deepEqual(plainLint.files.flatMap((file: { findings: unknown[] }) => file.findings), []);
    assert.equal(plainLint.newSince.leftOut, linted.newSince.leftOut);
    assert.equal(repo.git('ls-files', '--stage'), index);
    assert.equal(repo.git('status', '--porcelain'), ' D sites/contoso.allowlist.yaml\n?? contoso.allowlist.yaml\n');
  } finally {
    repo.cleanup();
  }
});

test('a vendor catalog changed in the repository: diff names each site it breaks or mends, whose own text did not change', async () => {
  const catalog = (hosts: string[]) =>
    `catalog: 1\nvendor: { id: acme, name: Acme Remote }\nendpoints:\n${hosts.map((host, index) => `  - id: e${index}\n    role: "the ${host} role"\n    host: ${host}\n    ports: [443]\n    allowlist-by: hostname\n    source: { url: "https://acme.example/docs" }\n`).join('')}`;
  const site = (hosts: string[]) => `allowlist: 1\nvendors:\n  acme: {}\noutbound:\n${hosts.map((host, index) => `  - name: acme-${index}\n    vendor: acme\n    to: ${host}\n    ports: 443\n`).join('')}`;
  const repo = makeRepo({
    'vendors/acme.catalog.yaml': catalog(['relay.acme.example', 'old.acme.example']),
    'sites/a.allowlist.yaml': site(['relay.acme.example', 'old.acme.example']),
    'sites/b.allowlist.yaml': site(['relay.acme.example', 'old.acme.example']),
    'sites/c.allowlist.yaml': site(['relay.acme.example', 'old.acme.example', 'new.acme.example']),
    'sites/other.allowlist.yaml': OFFICE,
  });
  try {
    // The vendor's update: old.acme.example is no longer needed, new.acme.example is.
    repo.write('vendors/acme.catalog.yaml', catalog(['relay.acme.example', 'new.acme.example']));
    repo.commit('acme update');
    const json = await run(repo.dir, ['diff', '--base', 'HEAD~1', '--format', 'json', '--today', TODAY]);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(
      report.files.map((file: { file: string; status: string }) => [file.file, file.status]),
      [
        ['sites/a.allowlist.yaml', 'unchanged'],
        ['sites/b.allowlist.yaml', 'unchanged'],
      ],
      'c already allows new.acme.example, and the office does not use acme',
    );
    assert.deepEqual(
      report.changes.map((change: { kind: string; file: string; target?: string; roles?: string[] }) => [change.kind, change.file, change.target, change.roles]),
      [
        ['requirement-unmet', 'sites/a.allowlist.yaml', 'new.acme.example', ['the new.acme.example role']],
        ['requirement-unmet', 'sites/b.allowlist.yaml', 'new.acme.example', ['the new.acme.example role']],
      ],
    );
    const markdown = await run(repo.dir, ['diff', '--base', 'HEAD~1', '--format', 'markdown', '--today', TODAY]);
    assert.match(markdown.stdout, /0 allowlists changed; a catalog change affects 2 unchanged allowlists\./);
    assert.match(markdown.stdout, /- Acme Remote: the catalog change breaks 2 sites \(`sites\/a\.allowlist\.yaml`, `sites\/b\.allowlist\.yaml`\)\./);
    const text = await run(repo.dir, ['diff', '--base', 'HEAD~1', '--today', TODAY]);
    assert.match(text.stdout, /sites\/a\.allowlist\.yaml \(unchanged; its catalogs changed\)\n {2}requirement-unmet +Breaks Acme Remote "the new\.acme\.example role"/);
    const gate = await run(repo.dir, ['diff', '--base', 'HEAD~1', '--fail-on', 'requirement-unmet', '--today', TODAY]);
    assert.equal(gate.code, 1, 'the vendor update fails the gate');

    // Undone in the next commit: both sites are mended.
    repo.write('vendors/acme.catalog.yaml', catalog(['relay.acme.example', 'old.acme.example']));
    repo.commit('acme revert');
    const back = JSON.parse((await run(repo.dir, ['diff', '--base', 'HEAD~1', '--format', 'json', '--today', TODAY])).stdout);
    assert.deepEqual(back.changes.map((change: { kind: string; file: string }) => [change.kind, change.file]), [
      ['requirement-met', 'sites/a.allowlist.yaml'],
      ['requirement-met', 'sites/b.allowlist.yaml'],
    ]);
  } finally {
    repo.cleanup();
  }
});

test('a repository catalog deleted or broken: diff shows the unchanged sites whose findings it changes, and warns of one that does not load', async () => {
  const catalog = 'catalog: 1\nvendor: { id: acme, name: Acme Remote }\nendpoints:\n  - id: relay\n    role: relay\n    host: relay.acme.example\n    ports: [443]\n    allowlist-by: hostname\n    source: { url: "https://acme.example/docs" }\n';
  const site = 'allowlist: 1\nvendors:\n  acme: {}\noutbound:\n  - name: relay\n    vendor: acme\n    to: relay.acme.example\n    ports: 443\n';
  const repo = makeRepo({ 'vendors/acme.catalog.yaml': catalog, 'sites/a.allowlist.yaml': site });
  try {
    repo.remove('vendors/acme.catalog.yaml');
    const deleted = await run(repo.dir, ['diff', '--fail-on', 'introduced-error', '--format', 'json', '--today', TODAY]);
    assert.equal(deleted.code, 1, deleted.stdout + deleted.stderr);
    const report = JSON.parse(deleted.stdout);
    assert.deepEqual(report.files.map((file: { file: string; status: string }) => [file.file, file.status]), [['sites/a.allowlist.yaml', 'unchanged']]);
    assert.deepEqual(report.findings.introduced.map((finding: { ruleId: string }) => finding.ruleId), ['unknown-vendor', 'unknown-vendor']);
    const markdown = await run(repo.dir, ['diff', '--format', 'markdown', '--today', TODAY]);
    assert.match(markdown.stdout, /0 allowlists changed; a catalog change affects 1 unchanged allowlist\.\n\n#### Sites affected by catalog changes\n\n- Lint findings: the catalog change introduces 2 findings in 1 site \(`sites\/a\.allowlist\.yaml`\)\.\n/);

    repo.write('vendors/acme.catalog.yaml', `${catalog}broken: [\n`);
    const broken = await run(repo.dir, ['diff', '--today', TODAY]);
    assert.equal(broken.code, 0);
    assert.match(broken.stdout, /sites\/a\.allowlist\.yaml \(unchanged; its catalogs changed\)/);
    assert.match(broken.stderr, /^allowlist: warning: catalog vendors\/acme\.catalog\.yaml at work tree does not load and is left out:\n {2}vendors\/acme\.catalog\.yaml:11:1: .*\[yaml-syntax\]\n/);
  } finally {
    repo.cleanup();
  }
});

test('diff --no-index of two identical files: the markdown names no catalog change (as the text)', async () => {
  const { dir, cleanup } = tempTree({ 'a.allowlist.yaml': SITE, 'b.allowlist.yaml': SITE });
  try {
    const markdown = await run(dir, ['diff', '--no-index', 'a.allowlist.yaml', 'b.allowlist.yaml', '--format', 'markdown']);
    assert.equal(markdown.code, 0, markdown.stderr);
    assert.doesNotMatch(markdown.stdout, /catalog/);
    assert.match(markdown.stdout, /0 allowlists changed\.\n$/);
  } finally {
    cleanup();
  }
});
