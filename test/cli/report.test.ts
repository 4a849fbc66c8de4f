/** `allowlist report`: formats, where the report goes, the links of the HTML, lint's discovery, config and catalogs,
 * and the exit status (0 written, findings or not; 2 errors). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ACME_CATALOG, BROKEN, CLEAN, builtCliSkip, run, runBuilt, tempTree, TODAY } from './helpers';

const ROOT = resolve(__dirname, '../..');

/** Declares Acme (ACME_CATALOG) and allows its relay on 7000 only: its ports 7000-7100 are unmet. */
const ACME_SITE = ['allowlist: 1', 'site: Acme Site', 'vendors:', '  acme: {}', 'outbound:', '  - name: relay', '    vendor: acme', '    to: relay.acme.example', '    ports: 7000', ''].join('\n');

function fleet() {
  return tempTree({
    'sites/broken.allowlist.yaml': BROKEN,
    'sites/clean.allowlist.yaml': CLEAN,
    'sites/acme.allowlist.yaml': ACME_SITE,
    'vendor-catalogs/acme.catalog.yaml': ACME_CATALOG,
    'notes/readme.yaml': 'just: yaml\n',
    'catalogs-only/acme.catalog.yaml': ACME_CATALOG,
  });
}

test('default: Markdown on standard output, exit 0 although the sites have errors', async () => {
  const tree = fleet();
  try {
    const result = await run(tree.dir, ['report', 'sites', '--today', TODAY, '--catalog', 'vendor-catalogs']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^### Allowlist fleet report\n\n\*\*3 sites: 3 errors, 0 warnings, 1 info\*\*\n/);
    assert.match(result.stdout, /\| Acme Site \(`sites\/acme\.allowlist\.yaml`\) \| ❌ unmet: "relay for remote sessions" \|/);
    assert.match(result.stdout, /\| 2020-01-01 \| ⛔ expired 2520 days ago \| broken \| temp \(outbound\) \| `sites\/broken\.allowlist\.yaml:6` \|/);
    // `-o -` is standard output too, not a file named "-".
    assert.equal((await run(tree.dir, ['report', 'sites', '--today', TODAY, '--catalog', 'vendor-catalogs', '-o', '-'])).stdout, result.stdout);
    assert.ok(!existsSync(join(tree.dir, '-')));
  } finally {
    tree.cleanup();
  }
});

test('--out: the format from the extension, the folder created, links relative to the page', async () => {
  const tree = fleet();
  try {
    const result = await run(tree.dir, ['report', 'sites', '--today', TODAY, '--catalog', 'vendor-catalogs', '--out', 'artifacts/fleet.html']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'allowlist: wrote artifacts/fleet.html (html): 3 sites, 3 errors, 0 warnings, 1 info\n');
    const html = readFileSync(join(tree.dir, 'artifacts/fleet.html'), 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<td class="cell unmet" data-vendor="acme"[^>]*><a href="\.\.\/sites\/acme\.allowlist\.yaml#L9">/);

    const json = await run(tree.dir, ['report', 'sites', '--today', TODAY, '-o', 'fleet.json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(readFileSync(join(tree.dir, 'fleet.json'), 'utf8')).totals.sites, 3);
    // --format wins over the extension; html on standard output when asked for.
    const asked = await run(tree.dir, ['report', 'sites', '--today', TODAY, '--format', 'html']);
    assert.match(asked.stdout, /^<!DOCTYPE html>/);
    assert.match(asked.stdout, /href="sites\/broken\.allowlist\.yaml#L6"/);
  } finally {
    tree.cleanup();
  }
});

test('--days and --today: the calendar of expiries follows them', async () => {
  const tree = fleet();
  try {
    const report = async (...args: string[]) => {
      const result = await run(tree.dir, ['report', 'sites', '--format', 'json', '--catalog', 'vendor-catalogs', ...args]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    };
    assert.deepEqual((await report('--today', TODAY)).expiries.map((expiry: { rule: string }) => expiry.rule), ['temp', 'soon']);
    assert.deepEqual((await report('--today', TODAY, '--days', '5')).expiries.map((expiry: { rule: string }) => expiry.rule), ['temp']);
    assert.deepEqual((await report('--today', '2019-12-01', '--days', '31')).expiries.map((expiry: { daysLeft: number }) => expiry.daysLeft), [31]);
  } finally {
    tree.cleanup();
  }
});

test('the config of lint: rules off are off in the report too', async () => {
  const tree = tempTree({ 'acme.allowlist.yaml': ACME_SITE, 'acme.catalog.yaml': ACME_CATALOG, '.allowlistrc.yaml': 'rules:\n  missing-ports: off\n' });
  try {
    const result = await run(tree.dir, ['report', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.vendors, [{ id: 'acme', name: 'Acme Remote' }], 'the catalog beside the allowlist, as lint finds it');
    assert.equal(report.matrix[0].cells[0].status, 'met');
    assert.equal(report.sites[0].findingsByRule['missing-ports'], undefined);
  } finally {
    tree.cleanup();
  }
});

test('errors exit 2: usage, a missing path, no allowlists, an unwritable --out', async () => {
  const tree = fleet();
  try {
    const cases: [string[], RegExp][] = [
      [['sites', '--format', 'pdf'], /unknown --format "pdf"; expected markdown, html, json/],
      [['sites', '--today', '2026-13-01'], /--today must be a date as YYYY-MM-DD/],
      [['sites', '--days', '-3'], /--days must be a whole number of days from 0 to 9999, not "-3"/],
      [['sites', '--days', '99999'], /--days must be a whole number of days from 0 to 9999, not "99999"/],
      [['sites', '--frmat', 'html'], /unknown option --frmat; did you mean --format\?/],
      [['nowhere'], /nowhere: /],
      [['notes'], /no allowlists found under notes/],
      [['catalogs-only'], /no allowlists found under catalogs-only/],
      [['sites', '--out', 'sites/clean.allowlist.yaml/x.html'], /cannot write the report to sites\/clean\.allowlist\.yaml\/x\.html: /],
      [['sites', '--out', 'sites/clean.allowlist.yaml'], /--out sites\/clean\.allowlist\.yaml would overwrite a file being reported on/],
      // By another name: a symbolic link to a site.
      [['sites', '--out', 'link.md'], /--out link\.md would overwrite a file being reported on/],
    ];
    symlinkSync(join('sites', 'broken.allowlist.yaml'), join(tree.dir, 'link.md'));
    for (const [args, message] of cases) {
      const result = await run(tree.dir, ['report', ...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
    assert.equal(readFileSync(join(tree.dir, 'sites/clean.allowlist.yaml'), 'utf8'), CLEAN);
    assert.equal(readFileSync(join(tree.dir, 'sites/broken.allowlist.yaml'), 'utf8'), BROKEN);
  } finally {
    tree.cleanup();
  }
});

test('help: allowlist help report and report --help print the usage', async () => {
  const help = await run(ROOT, ['help', 'report']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: allowlist report \[options\] \[paths\.\.\.\]/);
  assert.match(help.stdout, /markdown \(the default: on standard output/);
  assert.equal((await run(ROOT, ['report', '--help'])).stdout, help.stdout);
  assert.match((await run(ROOT, ['--help'])).stdout, /\n {2}report \[paths\.\.\.\] /);
});

test('the built CLI writes the three formats of the bundled examples', { skip: builtCliSkip }, () => {
  for (const format of ['markdown', 'html', 'json']) {
    const result = runBuilt(ROOT, ['report', 'examples', '--format', format, '--today', TODAY]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, format === 'html' ? /Contoso Dental - Main Street practice/ : format === 'json' ? /"reportVersion": 1/ : /### Allowlist fleet report/);
  }
});
