/** `allowlist import` through the built CLI (dist/cli.js): usage errors, what was not mapped on stderr by line, the
 * written allowlist linting clean of structural findings, --vendor, -o and --force, and the export read back. What
 * each reader maps is tested beside it (src/core/import/readers). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fortigateLargeGroup } from '../generate';
import { BUILT_CLI, builtCliSkip, run, runBuilt, tempTree } from './helpers';

const skip = builtCliSkip;
const CONTOSO = readFileSync(resolve(__dirname, '../../examples/contoso.allowlist.yaml'), 'utf8');
const TODAY = '2026-11-25';

const cli = runBuilt;

const PFSENSE = `<?xml version="1.0"?>
<pfsense>
  <aliases>
    <alias><name>hdb</name><type>host</type><address>connect.helpdeskbuttons.com</address><descr>hdb</descr></alias>
  </aliases>
  <filter>
    <rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol>
      <source><network>lan</network></source><destination><address>hdb</address><port>443</port></destination><descr>hdb-techconnect; ticket CHG-7</descr></rule>
    <rule><type>block</type><interface>lan</interface><source><any/></source><destination><any/></destination><descr>deny all</descr></rule>
  </filter>
</pfsense>
`;

/** Findings that mean the written allowlist is not a valid one. */
function structuralFindings(dir: string, file: string): string {
  const lint = cli(dir, ['lint', '--today', TODAY, '--format', 'json', file]);
  const report = JSON.parse(lint.stdout) as { files: { findings: { ruleId: string; message: string }[] }[] };
  return report.files
    .flatMap((entry) => entry.findings)
    .filter((finding) => ['yaml-syntax', 'schema', 'invalid-address', 'invalid-port', 'duplicate-name', 'control-character'].includes(finding.ruleId))
    .map((finding) => `${finding.ruleId}: ${finding.message}`)
    .join('\n');
}

test('import: --from is required and checked, with a suggestion; an unknown vendor is named with one', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'config.xml': PFSENSE });
  try {
    const none = cli(dir, ['import', 'config.xml']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /import needs --from: one of fortigate, pfsense, opnsense, nftables/);
    const typo = cli(dir, ['import', 'config.xml', '--from', 'pfsens']);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /unknown --from pfsens; did you mean pfsense\?/);
    const vendor = cli(dir, ['import', 'config.xml', '--from', 'pfsense', '--vendor', 'helpdesk-button']);
    assert.equal(vendor.status, 2);
    assert.match(vendor.stderr, /did you mean helpdesk-buttons\?/);
    const missing = cli(dir, ['import', 'nope.xml', '--from', 'pfsense']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^allowlist: error: cannot read nope\.xml: /);
  } finally {
    cleanup();
  }
});

test('import: prints a valid allowlist; what was not mapped is on stderr with its line; --vendor tags the rules', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'config.xml': PFSENSE });
  try {
    const result = cli(dir, ['import', 'config.xml', '--from', 'pfsense', '--vendor', 'helpdesk-buttons', '--site', 'Contoso']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /^config\.xml:9: not imported: .*block rule/m);
    assert.match(result.stderr, /allowlist: 1 rule imported from config\.xml; 1 part not mapped/);
    writeFileSync(join(dir, 'imported.allowlist.yaml'), result.stdout);
    assert.equal(structuralFindings(dir, 'imported.allowlist.yaml'), '');
    assert.match(result.stdout, /^ {2}- name: hdb-techconnect\n(?: {4}\S.*\n)*? {4}vendor: helpdesk-buttons\n/m);
    assert.match(result.stdout, /^ {4}ticket: CHG-7$/m);
    // The vendor is declared, so lint shows at once what the box lacks for it.
    const lint = cli(dir, ['lint', '--today', TODAY, 'imported.allowlist.yaml']);
    assert.match(lint.stdout, /\[missing-ports\]/);
    assert.match(lint.stdout, /\[missing-endpoint\]/);
  } finally {
    cleanup();
  }
});

test("import: an allowlist over the linter's limit is written with a warning that lint and drift will not read it", async () => {
  const { dir, cleanup } = tempTree({ 'box.conf': fortigateLargeGroup() });
  try {
    const result = await run(dir, ['import', 'box.conf', '--from', 'fortigate', '-o', 'box.allowlist.yaml']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^allowlist: warning: box\.conf: its policies written as an allowlist \(groups expanded in each policy\) are 5\.\d MB, over the linter's limit of 5\.0 MB: lint, drift and the editor will not read it; import a part of the policies at a time with --policy$/m);
  } finally {
    cleanup();
  }
});

test('import: -o writes the file and never replaces one without --force', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'config.xml': PFSENSE, 'taken.allowlist.yaml': 'allowlist: 1\n' });
  try {
    const written = cli(dir, ['import', 'config.xml', '--from', 'pfsense', '-o', 'site.allowlist.yaml']);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(written.stdout, '');
    assert.match(readFileSync(join(dir, 'site.allowlist.yaml'), 'utf8'), /^# yaml-language-server: \$schema=\S+allowlist\.schema\.json$/m);
    const refused = cli(dir, ['import', 'config.xml', '--from', 'pfsense', '-o', 'taken.allowlist.yaml']);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /taken\.allowlist\.yaml already exists; use --force/);
    assert.equal(readFileSync(join(dir, 'taken.allowlist.yaml'), 'utf8'), 'allowlist: 1\n');
    assert.equal(cli(dir, ['import', 'config.xml', '--from', 'pfsense', '-o', 'taken.allowlist.yaml', '--force']).status, 0);
    assert.notEqual(readFileSync(join(dir, 'taken.allowlist.yaml'), 'utf8'), 'allowlist: 1\n');
    // --force writes the very allowlist -o writes to a new file (same folder, so the same modeline).
    assert.equal(readFileSync(join(dir, 'taken.allowlist.yaml'), 'utf8'), readFileSync(join(dir, 'site.allowlist.yaml'), 'utf8'));
    assert.match(readFileSync(join(dir, 'site.allowlist.yaml'), 'utf8'), /^ {2}- name: hdb-techconnect$/m);
  } finally {
    cleanup();
  }
});

test('import: the modeline of a file written with -o into another folder points at the shipped schema from there', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'config.xml': PFSENSE, 'sites/north/.keep': '' });
  try {
    const written = cli(dir, ['import', 'config.xml', '--from', 'pfsense', '-o', 'sites/north/site.allowlist.yaml']);
    assert.equal(written.status, 0, written.stderr);
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(join(dir, 'sites/north/site.allowlist.yaml'), 'utf8'))?.[1];
    assert.ok(schema && !schema.startsWith('/'), `a relative modeline: ${schema}`);
    assert.equal(resolve(dir, 'sites/north', schema), resolve(dirname(BUILT_CLI), '../schemas/allowlist.schema.json'));
  } finally {
    cleanup();
  }
});

test('import: a FortiGate export of contoso reads back as an allowlist with the same rule names', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'contoso.allowlist.yaml': CONTOSO });
  try {
    assert.equal(cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'fortigate', '--today', TODAY, '-o', 'forti.conf']).status, 0);
    const imported = cli(dir, ['import', 'forti.conf', '--from', 'fortigate', '-o', 'back.allowlist.yaml']);
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(structuralFindings(dir, 'back.allowlist.yaml'), '');
    const names = (text: string) => [...text.matchAll(/^ {2}- name: (\S+)$/gm)].map((match) => match[1]).sort();
    assert.deepEqual(names(readFileSync(join(dir, 'back.allowlist.yaml'), 'utf8')), names(CONTOSO));
  } finally {
    cleanup();
  }
});

test('import: an OPNsense export of contoso (its two JSON files, concatenated) reads back as a valid allowlist, every rule mapped', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'contoso.allowlist.yaml': CONTOSO });
  try {
    assert.equal(cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'opnsense', '--today', TODAY, '--out', 'opn']).status, 0);
    const files = ['opnsense-aliases.json', 'opnsense-filter-rules.json'].map((name) => readFileSync(join(dir, 'opn', name), 'utf8'));
    writeFileSync(join(dir, 'opnsense.json'), files.join(''));
    const imported = cli(dir, ['import', 'opnsense.json', '--from', 'opnsense', '-o', 'back.allowlist.yaml']);
    assert.equal(imported.status, 0, imported.stderr);
    assert.doesNotMatch(imported.stderr, /not imported|imported in part/);
    assert.equal(structuralFindings(dir, 'back.allowlist.yaml'), '');
    const names = [...readFileSync(join(dir, 'back.allowlist.yaml'), 'utf8').matchAll(/^ {2}- name: (\S+)$/gm)].map((match) => match[1]);
    assert.ok(names.length > 5 && names.every((name) => CONTOSO.includes(`- name: ${name}\n`)), names.join(', '));
  } finally {
    cleanup();
  }
});
