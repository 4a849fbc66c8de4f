/** `allowlist export` through the built CLI (dist/cli.js): usage errors, files it refuses, warnings on stderr,
 * --strict, and where it writes. What each target writes is tested beside the target (src/core/export/targets). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeRepo } from '../diff/helpers';
import { builtCliSkip, run, runBuilt, tempTree } from './helpers';

const skip = builtCliSkip;
const CONTOSO = readFileSync(resolve(__dirname, '../../examples/contoso.allowlist.yaml'), 'utf8');

const cli = runBuilt;

const SITE = `allowlist: 1
site: test
outbound:
  - name: cdn
    to: "*.cdn.example.com"
    ports: 443
  - name: api
    to: api.example.com
    ports: [443, "8000-8010"]
`;

test('export: --target is required and checked, with a suggestion; a target of several files needs --out', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': SITE });
  try {
    const none = cli(dir, ['export', 'site.allowlist.yaml']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /export needs --target: one of nftables, fortigate, pfsense, opnsense, windows, mikrotik, paloalto/);
    const typo = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'fortigte']);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /unknown --target fortigte; did you mean fortigate\?/);
    const nft = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'nftables']);
    assert.equal(nft.status, 2);
    assert.match(nft.stderr, /--target nftables writes several files: give the folder to write them to with --out DIR/);
    assert.equal(cli(dir, ['export', 'site.allowlist.yaml', '-t', 'fortigate', '--hook', 'input']).status, 2);
    assert.equal(cli(dir, ['export', '-t', 'fortigate']).status, 2);
    const help = cli(dir, ['export', '--help']);
    assert.equal(help.status, 0);
    for (const id of ['nftables', 'fortigate', 'pfsense', 'opnsense', 'windows', 'mikrotik', 'paloalto']) assert.match(help.stdout, new RegExp(`^  ${id} `, 'm'));
  } finally {
    cleanup();
  }
});

test('export: a file whose rules are unreliable or share a name exports nothing and exits 2, listing why', { skip }, () => {
  const duplicate = SITE.replace('name: api', 'name: cdn');
  const typo = SITE.replace('ports: 443', 'prots: 443');
  const { dir, cleanup } = tempTree({ 'dup.allowlist.yaml': duplicate, 'typo.allowlist.yaml': typo, 'other.yaml': 'hello: 1\n' });
  try {
    const dup = cli(dir, ['export', 'dup.allowlist.yaml', '--target', 'fortigate']);
    assert.equal(dup.status, 2);
    assert.equal(dup.stdout, '');
    assert.match(dup.stderr, /dup\.allowlist\.yaml has 1 error that makes its rules unreliable; nothing was exported:/);
    assert.match(dup.stderr, /dup\.allowlist\.yaml:7:\d+.*\[duplicate-name\]|duplicate-name/);
    const schema = cli(dir, ['export', 'typo.allowlist.yaml', '--target', 'fortigate']);
    assert.equal(schema.status, 2);
    assert.equal(schema.stdout, '');
    assert.match(schema.stderr, /schema/);
    const other = cli(dir, ['export', 'other.yaml', '--target', 'fortigate']);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /other\.yaml is not an allowlist .* so there is nothing to export/);
    const missing = cli(dir, ['export', 'nope.allowlist.yaml', '--target', 'fortigate']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^allowlist: error: cannot read nope\.allowlist\.yaml: /);
  } finally {
    cleanup();
  }
});

test('export: warnings name FILE:LINE and the rule on stderr; --strict exits 1 on a rule not expressed faithfully', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': SITE });
  try {
    // pfSense aliases take no wildcard host names: the cdn rule (line 4) cannot be expressed.
    const loose = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'pfsense']);
    assert.equal(loose.status, 0, loose.stderr);
    assert.match(loose.stderr, /^site\.allowlist\.yaml:4: warning: rule "cdn": /m);
    assert.ok(loose.stdout.length > 0);
    const strict = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'pfsense', '--strict']);
    assert.equal(strict.status, 1);
    assert.equal(strict.stdout, loose.stdout, 'the output is the same, only the exit status differs');
    const faithful = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '--strict']);
    assert.equal(faithful.status, 0, faithful.stderr);
  } finally {
    cleanup();
  }
});

test('export: nftables, forward hook, an outbound rule to any without `from` or --lan-interface: a warning on stderr, --strict exits 1', async () => {
  const { dir, cleanup } = tempTree({ 'web.allowlist.yaml': 'allowlist: 1\noutbound:\n  - name: web\n    to: any\n    ports: [80, 443]\n' });
  try {
    const loose = await run(dir, ['export', 'web.allowlist.yaml', '--target', 'nftables', '--out', 'out']);
    assert.equal(loose.code, 0, loose.stderr);
    assert.match(loose.stderr, /^web\.allowlist\.yaml:3: warning: rule "web": it has no `from` and the export no interface, .*pass --lan-interface NAME/m);
    assert.equal((await run(dir, ['export', 'web.allowlist.yaml', '--target', 'nftables', '--out', 'out', '--strict'])).code, 1);
    const scoped = await run(dir, ['export', 'web.allowlist.yaml', '--target', 'nftables', '--out', 'out', '--strict', '--lan-interface', 'lan0']);
    assert.equal(scoped.code, 0, scoped.stderr);
  } finally {
    cleanup();
  }
});

test('export: same file, same bytes; --out writes a file, or into a folder; nftables writes both files', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'contoso.allowlist.yaml': CONTOSO });
  try {
    const first = cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'fortigate', '--today', '2026-11-25']);
    const second = cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'fortigate', '--today', '2026-11-25']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, second.stdout);
    assert.match(first.stderr, /allowlist: note: contoso\.allowlist\.yaml has \d+ other findings/);

    assert.equal(cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'fortigate', '--today', '2026-11-25', '--out', 'forti.conf']).status, 0);
    assert.equal(readFileSync(join(dir, 'forti.conf'), 'utf8'), first.stdout);
    mkdirSync(join(dir, 'out'));
    const into = cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'fortigate', '--today', '2026-11-25', '--out', 'out']);
    assert.equal(into.status, 0, into.stderr);
    assert.equal(readdirSync(join(dir, 'out')).length, 1);

    const nft = cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'nftables', '--out', 'nft']);
    assert.equal(nft.status, 0, nft.stderr);
    assert.deepEqual(readdirSync(join(dir, 'nft')).sort(), ['allowlist.nft', 'dnsmasq-allowlist.conf']);
    assert.match(nft.stderr, /allowlist: wrote nft\/allowlist\.nft and nft\/dnsmasq-allowlist\.conf/);

    const unwritable = cli(dir, ['export', 'contoso.allowlist.yaml', '--target', 'fortigate', '--out', 'no/such/folder/x.conf']);
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /^allowlist: error: cannot write the export to no\/such\/folder\/x\.conf: /m);
  } finally {
    cleanup();
  }
});

const SITE_B = `allowlist: 1
site: test
outbound:
  - name: api
    to: [api.example.com, 203.0.113.7]
    ports: [443, "8000-8010"]
  - name: mail
    to: 203.0.113.25
    ports: 25
`;

test('export --since: only what changed since a git revision; other targets, bad revisions and old versions refused', { skip }, () => {
  const repo = makeRepo({ 'site.allowlist.yaml': SITE });
  try {
    const head = repo.git('rev-parse', '--short=7', 'HEAD').trim();
    repo.write('site.allowlist.yaml', SITE_B);

    const forti = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '--since', 'HEAD']);
    assert.equal(forti.status, 0, forti.stderr);
    assert.match(forti.stderr, new RegExp(`allowlist: note: since HEAD \\(${head}\\): 1 rule added, 1 changed, 1 removed\\n`));
    assert.match(forti.stdout, /^config firewall address\n {4}edit "api_203\.0\.113\.7"\n/);
    assert.match(forti.stdout, /config firewall policy\n {4}delete \d+\nend\n/, 'the removed rule\'s policy deleted');
    assert.doesNotMatch(forti.stdout, /edit "api_api\.example\.com"/, 'what did not change is not repeated');
    assert.match(forti.stdout, /config firewall service custom\n {4}delete "cdn_svc"\nend\n/);

    // nftables: printed without --out, the dnsmasq fragment too since the host names changed; --out DIR writes both.
    const nft = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'nftables', '--since', 'HEAD']);
    assert.equal(nft.status, 0, nft.stderr);
    assert.match(nft.stdout, /^# ==> allowlist-changes\.nft <==\n#!\/usr\/sbin\/nft -f\n/);
    assert.match(nft.stdout, /\n# ==> dnsmasq-allowlist\.conf <==\n/);
    assert.match(nft.stdout, /^delete chain inet allowlist rule_cdn$/m);
    const written = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'nftables', '--since', 'HEAD', '--out', 'changes']);
    assert.equal(written.status, 0, written.stderr);
    assert.deepEqual(readdirSync(join(repo.dir, 'changes')).sort(), ['allowlist-changes.nft', 'dnsmasq-allowlist.conf']);

    const pfsense = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'pfsense', '--since', 'HEAD', '--out', 'pf']);
    assert.equal(pfsense.status, 2);
    assert.match(pfsense.stderr, /--since: pfsense has no change sets; targets that have: nftables, fortigate/);
    const unknown = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '--since', 'no-such-branch']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /allowlist: error: --since: unknown revision "no-such-branch"/);
    assert.equal(unknown.stdout, '');

    // Nothing changed: an empty change set, with a note.
    repo.commit('B');
    const none = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '--since', 'HEAD']);
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stderr, /no rule changed since HEAD \(\w{7}\): the change set is empty/);
    assert.equal(none.stdout, '');
    const noneNft = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'nftables', '--since', 'HEAD']);
    assert.equal(noneNft.status, 0, noneNft.stderr);
    assert.match(noneNft.stdout, /^#!\/usr\/sbin\/nft -f\n(#.*\n)*# Nothing to change\.\n$/, 'comments only, no dnsmasq fragment');

    // A file new since REF: everything is added.
    repo.write('new.allowlist.yaml', SITE_B);
    const fresh = cli(repo.dir, ['export', 'new.allowlist.yaml', '--target', 'fortigate', '--since', 'HEAD']);
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.match(fresh.stderr, /new\.allowlist\.yaml did not exist at HEAD: every rule is new; since HEAD \(\w{7}\): 2 rules added, 0 changed, 0 removed/);

    // The version at REF must pass the export's refusal too.
    repo.write('site.allowlist.yaml', SITE.replace('name: api', 'name: cdn'));
    repo.commit('duplicate names');
    repo.write('site.allowlist.yaml', SITE);
    const duplicate = cli(repo.dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '--since', 'HEAD']);
    assert.equal(duplicate.status, 2);
    assert.match(duplicate.stderr, /allowlist: error: site\.allowlist\.yaml at HEAD has 1 error that makes its rules unreliable; nothing was exported:/);
    assert.match(duplicate.stderr, /duplicate-name/);
  } finally {
    repo.cleanup();
  }
});

test('export --since outside a git repository is a usage error naming it', { skip }, () => {
  const { dir, cleanup } = tempTree({ 'site.allowlist.yaml': SITE });
  try {
    const result = cli(dir, ['export', 'site.allowlist.yaml', '--target', 'fortigate', '--since', 'HEAD']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /allowlist: error: --since: .* is not in a git repository/);
  } finally {
    cleanup();
  }
});
