/** `diffRevisions` (src/core/diff/revisions.ts): the revision diff the CLI and the editor's "Show Changes Against
 * Base" share, with the CLI's inputs (the config, the repository's catalogs at each revision, the config's
 * catalogs), and an editor's unsaved text in place of the work tree's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigFor } from '../../src/core/lint';
import { configuredCatalogSet, defaultBase, diffRevisions, formatDiff, WORKTREE } from '../../src/core/diff';
import { run } from '../cli/helpers';
import { makeRepo } from './helpers';

const ROOT = resolve(__dirname, '../..');
const TODAY = '2026-01-01';
const CONTOSO = readFileSync(join(ROOT, 'examples/contoso.allowlist.yaml'), 'utf8');
const BUILTIN = readFileSync(join(ROOT, 'catalogs/helpdesk-buttons.catalog.yaml'), 'utf8');
/** The quick fix for contoso's missing-ports finding. */
const FIXED = CONTOSO.replace('    to: connect.helpdeskbuttons.com\n    ports: 443\n', '    to: connect.helpdeskbuttons.com\n    ports: [443, "2001-2500"]\n');

const ACME = `catalog: 1
vendor: { id: acme, name: Acme Remote }
endpoints:
  - id: relay
    role: relay remote sessions
    host: relay.acme.example
    ports: [443]
    allowlist-by: hostname
    source: { url: "https://acme.example/docs" }
`;

test('the editor\'s inputs are the CLI\'s: config severities, the repository\'s and the config\'s catalogs, unsaved text', async () => {
  assert.notEqual(FIXED, CONTOSO, 'the fixture has the hdb-techconnect rule');
  const repo = makeRepo({
    'sites/contoso.allowlist.yaml': CONTOSO.replace('vendors:\n', 'vendors:\n  acme: {}\n'),
    '.allowlistrc.yaml': 'rules:\n  missing-ports: warning\ncatalogs: [extra/]\n',
    // The repository's copy of the built-in catalog, renamed: it replaces the built-in one.
    'vendor.catalog.yaml': BUILTIN.replace(/^ {2}name: Helpdesk Buttons$/m, '  name: Helpdesk Buttons (repo catalog)'),
    'extra/acme.catalog.yaml': ACME,
  });
  try {
    assert.match(readFileSync(join(repo.dir, 'sites/contoso.allowlist.yaml'), 'utf8'), /acme: \{\}/);
    const head = FIXED.replace('vendors:\n', 'vendors:\n  acme: {}\n');
    repo.write('sites/contoso.allowlist.yaml', head);

    const cli = await run(join(repo.dir, 'sites'), ['diff', '--format', 'json', '--today', TODAY, 'contoso.allowlist.yaml']);
    assert.equal(cli.code, 0, cli.stderr);
    const fromCli = JSON.parse(cli.stdout);

    // What show-changes.ts does: the config nearest the file, the config's catalogs after the repository's.
    const config = loadConfigFor(join(repo.dir, 'sites'));
    const base = defaultBase(repo.dir);
    const editor = async (text: string) =>
      (
        await diffRevisions(repo.dir, {
          base: { commit: base.commit, label: `${base.ref} (${base.commit.slice(0, 7)})` },
          head: { revision: WORKTREE, label: 'work tree' },
          pathspecs: ['sites/contoso.allowlist.yaml'],
          explicit: ['sites/contoso.allowlist.yaml'],
          overrides: new Map([['sites/contoso.allowlist.yaml', text]]),
          config,
          catalogs: (repository) => configuredCatalogSet(config, repository),
          today: TODAY,
        })
      ).report;
    const fromEditor = JSON.parse(formatDiff('json', await editor(head)));
    assert.deepEqual(fromEditor, fromCli);
    // The config's severity, the repository's catalog (its vendor name), and acme still met (the config's catalog loaded).
    assert.deepEqual(
      fromCli.findings.resolved.map((finding: { ruleId: string; severity: string }) => [finding.ruleId, finding.severity]),
      [['missing-ports', 'warning']],
    );
    assert.deepEqual(
      fromCli.changes.map((change: { kind: string; vendorName?: string }) => [change.kind, change.vendorName]),
      [
        ['widened', undefined],
        ['requirement-met', 'Helpdesk Buttons (repo catalog)'],
      ],
    );

    // Unsaved editor text replaces the work tree's: a rule for acme's relay (from the config's catalog) meets its requirement.
    const unsaved = await editor(head.replace('outbound:\n', 'outbound:\n  - name: acme-relay\n    vendor: acme\n    to: relay.acme.example\n    ports: 443\n'));
    assert.ok(unsaved.findings.resolved.some((finding) => finding.ruleId === 'missing-endpoint' && finding.subject === 'vendor:acme:host:relay.acme.example'));
    assert.ok(unsaved.changes.some((change) => change.kind === 'requirement-met' && change.vendorName === 'Acme Remote'));
  } finally {
    repo.cleanup();
  }
});

test('configuredCatalogSet: a config catalog that does not load is an error naming it', async () => {
  const repo = makeRepo({ '.allowlistrc.yaml': 'catalogs: [broken.catalog.yaml]\n', 'broken.catalog.yaml': 'catalog: 1\nvendor: { id: x }\n' });
  try {
    await assert.rejects(configuredCatalogSet(loadConfigFor(repo.dir)), /catalog .*broken\.catalog\.yaml \(from .*\.allowlistrc\.yaml\) failed to load/);
  } finally {
    repo.cleanup();
  }
});
