/** `allowlist catalog import --from m365`: usage errors with suggestions, what was not imported on stderr, -o and
 * --force, and the "done when": the imported catalog lints clean, and an allowlist declaring microsoft-365
 * without the Exchange Online endpoints gets a missing-endpoint finding. The conversion itself is tested beside it
 * (src/core/feeds/m365.test.ts), from the same fixture. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtCliSkip, run, runBuilt, tempTree, TODAY } from './helpers';

const FEED = readFileSync(resolve(__dirname, '../../src/core/feeds/testdata/m365-worldwide.json'), 'utf8');

function withFeed(body: (dir: string) => Promise<void> | void, files: Record<string, string | Buffer> = {}): () => Promise<void> {
  return async () => {
    const { dir, cleanup } = tempTree({ 'worldwide.json': FEED, '.allowlistrc.yaml': 'rules: {}\n', ...files });
    try {
      await body(dir);
    } finally {
      cleanup();
    }
  };
}

test(
  'catalog: the subcommand, --from, FILE and the filters are checked, with suggestions (exit 2)',
  withFeed(async (dir) => {
    const cases: [string[], RegExp][] = [
      [['catalog'], /catalog needs a subcommand: import/],
      [['catalog', 'imprt'], /unknown catalog subcommand imprt; did you mean import\?/],
      [['catalog', 'import', 'worldwide.json'], /catalog import needs --from: one of m365/],
      [['catalog', 'import', '--from', 'm356', 'worldwide.json'], /unknown --from m356; did you mean m365\?/],
      [['catalog', 'import', '--from', 'm365'], /catalog import needs the feed FILE/],
      [['catalog', 'import', '--from', 'm365', 'worldwide.json', '--service-area', 'Exchange,Sharepoint,Skipe'], /unknown --service-area Skipe; did you mean Skype\? \(Exchange, SharePoint, Skype, Common\)/],
      [['catalog', 'import', '--from', 'm365', 'worldwide.json', '--category', 'optimise'], /unknown --category optimise; did you mean Optimize\?/],
      [['catalog', 'import', '--from', 'm365', 'worldwide.json', '--category', ''], /--category needs names/],
      [['catalog', 'import', '--from', 'm365', 'worldwide.json', '--version', 'a b\nc'], /--version a b\\nc is not a feed version/],
      [['catalog', 'import', '--from', 'm365', 'worldwide.json', '--servce-area', 'Exchange'], /unknown option --servce-area; did you mean --service-area\?/],
      [['catalog', 'import', '--from', 'm365', 'nope.json'], /^allowlist: error: cannot read nope\.json: /],
    ];
    for (const [argv, expected] of cases) {
      const result = await run(dir, argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, expected, argv.join(' '));
      assert.equal(result.stdout, '');
    }
  }),
);

test(
  'catalog: a file that is not the feed is a clear error naming what is wrong, never a stack trace (exit 2)',
  withFeed(
    async (dir) => {
      const cases: [string, RegExp][] = [
        ['garbage.json', /^allowlist: error: cannot read garbage\.json: the file is binary/],
        ['text.json', /^allowlist: error: text\.json is not a Microsoft 365 endpoint feed that can be imported: not JSON \(/],
        ['version.json', /version\.json is not a Microsoft 365 endpoint feed that can be imported: expected an array of endpoint sets .*: this is the version web method's answer/],
        ['shape.json', /item 2 \(endpoint set 5\): tcpPorts is the number 443; expected a string, or nothing/],
        ['huge.json', /huge\.json is not a Microsoft 365 endpoint feed that can be imported: the catalog would have 20000 endpoints \(\d+ KB\), more than a catalog may hold/],
        ['ips.json', /^ips\.json: endpoint set 9: is not imported \(Exchange, Allow\): it lists only IP networks \(2\).*\nallowlist: error: ips\.json is not a Microsoft 365 endpoint feed that can be imported: none of the 1 endpoint sets that pass the filters has a host a catalog can name \(each is named above\)\n$/],
        ['empty.json', /cannot read empty\.json|no endpoint set of the feed's 0 passes the filters|not JSON/],
      ];
      for (const [file, expected] of cases) {
        const result = await run(dir, ['catalog', 'import', '--from', 'm365', file]);
        assert.equal(result.code, 2, file);
        assert.match(result.stderr, expected, file);
        assert.doesNotMatch(result.stderr, /\n\s+at /, file);
      }
    },
    {
      'garbage.json': Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x41, 0x0a, 0x5b]),
      'text.json': 'endpoints: {\n',
      'version.json': '{"instance":"Worldwide","latest":"2025010100"}',
      'shape.json': JSON.stringify([JSON.parse(FEED)[0], { id: 5, serviceArea: 'Exchange', category: 'Allow', required: true, urls: ['a.example.com'], tcpPorts: 443 }]),
      'empty.json': '',
      'ips.json': JSON.stringify(JSON.parse(FEED).filter((set: { id: number }) => set.id === 9)),
      'huge.json': JSON.stringify([{ id: 1, serviceArea: 'Common', urls: Array.from({ length: 20_000 }, (_, i) => `host${i}.example.com`), tcpPorts: '443', category: 'Allow', required: true }]),
    },
  ),
);

test(
  'catalog: prints the catalog on stdout, what was not imported on stderr by endpoint set, and a summary',
  withFeed(async (dir) => {
    const result = await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '--version', '2025010100']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^# Microsoft 365 endpoints, made by `allowlist catalog import --from m365` from worldwide\.json \(feed version 2025010100\)\.\n/);
    assert.match(result.stdout, /\ncatalog: 1\nvendor:\n {2}id: microsoft-365\n/);
    assert.match(result.stdout, /\n {6}entry: endpoint set 2 \(Exchange, Allow\), version 2025010100\n/);
    assert.equal(
      result.stderr,
      [
        'worldwide.json: endpoint set 8: "autodiscover.*.onmicrosoft.com" (Exchange, Default) is not imported: it is not a valid host name: a wildcard may only be the whole first label, as in *.example.com',
        "worldwide.json: endpoint set 9: is not imported (Exchange, Allow): it lists only IP networks (2), and a catalog names the hosts a vendor's software connects to",
        "worldwide.json: endpoint set 11: is not imported (Skype, Optimize): it lists only IP networks (1), and a catalog names the hosts a vendor's software connects to",
        'allowlist: 22 endpoints imported from worldwide.json (13 of its 13 endpoint sets pass the filters); not imported (above): 2 IP-only endpoint sets, 1 URL',
        '',
      ].join('\n'),
    );
    const filtered = await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '--service-area', 'skype', '--category', 'allow,default', '--required-only']);
    assert.equal(filtered.code, 0, filtered.stderr);
    assert.equal(filtered.stderr, 'allowlist: 6 endpoints imported from worldwide.json (1 of its 13 endpoint sets pass the filters)\n');
    assert.doesNotMatch(filtered.stdout, /required: false|skypeforbusiness/);
  }),
);

test(
  'catalog: -o writes a new file and never replaces one without --force',
  withFeed(async (dir) => {
    const first = await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '-o', 'microsoft-365.catalog.yaml']);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '');
    assert.match(first.stderr, /; wrote microsoft-365\.catalog\.yaml\n$/);
    writeFileSync(join(dir, 'microsoft-365.catalog.yaml'), 'kept\n');
    const again = await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '-o', 'microsoft-365.catalog.yaml']);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /microsoft-365\.catalog\.yaml already exists; use --force to overwrite it/);
    assert.equal(readFileSync(join(dir, 'microsoft-365.catalog.yaml'), 'utf8'), 'kept\n');
    const forced = await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '-o', 'microsoft-365.catalog.yaml', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(dir, 'microsoft-365.catalog.yaml'), 'utf8'), /^# Microsoft 365 endpoints/);
    const otherName = await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '-o', 'm365.yaml']);
    assert.match(otherName.stderr, /lint finds catalogs named \*\.catalog\.yaml; pass this one with --catalog m365\.yaml/);
  }),
);

/** Every outbound rule the fixture's required endpoints need, but for the Exchange Online set 1 (outlook.office.com). */
const WITHOUT_EXCHANGE = `allowlist: 1
site: Fabrikam
vendors:
  microsoft-365: {}
outbound:
  - name: m365-web
    vendor: microsoft-365
    to: [outlook.office365.com, "*.outlook.com", "*.sharepoint.com", "*.wns.windows.com", admin.onedrive.com, login.microsoftonline.com, "*.auth.microsoft.com", "*.msftidentity.com", account.activedirectory.windowsazure.com, "*.lync.com", "*.teams.microsoft.com", teams.microsoft.com]
    ports: [80, 443]
  - name: m365-media
    vendor: microsoft-365
    to: ["*.lync.com", "*.teams.microsoft.com", teams.microsoft.com]
    ports: "3478-3481"
    protocol: udp
`;

test('catalog: the imported catalog lints clean, and lint reports the missing Exchange Online endpoint (built CLI)', { skip: builtCliSkip }, () => {
  const { dir, cleanup } = tempTree({ 'worldwide.json': FEED, 'fabrikam.allowlist.yaml': WITHOUT_EXCHANGE, '.allowlistrc.yaml': 'rules: {}\n' });
  try {
    const imported = runBuilt(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '-o', 'microsoft-365.catalog.yaml', '--version', '2025010100']);
    assert.equal(imported.status, 0, imported.stderr);
    const catalogLint = runBuilt(dir, ['lint', 'microsoft-365.catalog.yaml', '--today', TODAY]);
    assert.equal(catalogLint.status, 0, catalogLint.stdout);
    assert.match(catalogLint.stdout, /no problems in 1 file/);

    // The catalog is found in the repository, as any *.catalog.yaml is.
    const lint = runBuilt(dir, ['lint', 'fabrikam.allowlist.yaml', '--today', TODAY, '--format', 'json']);
    assert.equal(lint.status, 1, lint.stderr);
    const findings = (JSON.parse(lint.stdout) as { files: { findings: { ruleId: string; message: string }[] }[] }).files.flatMap((file) => file.findings);
    assert.deepEqual(
      findings.map((finding) => finding.ruleId),
      ['missing-endpoint'],
    );
    assert.match(findings[0].message, /^Microsoft 365 needs outlook\.office\.com on TCP 80, 443 for "Exchange Online", but no outbound rule allows that host/);

    // A starter allowlist for the vendor (its wildcards quoted) lints clean, and explain says which entries are optional.
    const init = runBuilt(dir, ['init', '--vendor', 'microsoft-365', '-o', 'starter.allowlist.yaml']);
    assert.equal(init.status, 0, init.stderr);
    assert.match(readFileSync(join(dir, 'starter.allowlist.yaml'), 'utf8'), /\n {4}to: "\*\.outlook\.com"\n/);
    const starterLint = runBuilt(dir, ['lint', 'starter.allowlist.yaml', '--today', TODAY]);
    assert.equal(starterLint.status, 0, starterLint.stdout);
    const explain = runBuilt(dir, ['explain', 'smtp.office365.com']);
    assert.match(explain.stdout, /TCP 143, 587, 993, 995 \(optional\) \[endpoint set 2 \(Exchange, Allow\), version 2025010100\]/);
  } finally {
    cleanup();
  }
});

test(
  'catalog: missing-endpoint: { include-optional: true } in .allowlistrc.yaml makes lint require the optional endpoints too',
  withFeed(async (dir) => {
    assert.equal((await run(dir, ['catalog', 'import', '--from', 'm365', 'worldwide.json', '-o', 'microsoft-365.catalog.yaml'])).code, 0);
    const skipped = await run(dir, ['lint', 'fabrikam.allowlist.yaml', '--today', TODAY]);
    assert.doesNotMatch(skipped.stdout, /smtp\.office365\.com/);
    writeFileSync(join(dir, '.allowlistrc.yaml'), 'rules:\n  missing-endpoint: { include-optional: true }\n');
    const asked = await run(dir, ['lint', 'fabrikam.allowlist.yaml', '--today', TODAY]);
    assert.equal(asked.code, 1);
    assert.match(asked.stdout, /Microsoft 365 needs smtp\.office365\.com on TCP 143, 587, 993, 995 for "Mail clients .*" \(optional\), but no outbound rule/);
    writeFileSync(join(dir, '.allowlistrc.yaml'), 'rules:\n  missing-endpoint: { include-optional: 2 }\n');
    const wrong = await run(dir, ['lint', 'fabrikam.allowlist.yaml', '--today', TODAY]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /include-optional/);
  }, { 'fabrikam.allowlist.yaml': WITHOUT_EXCHANGE }),
);

test(
  'catalog: --help and `help catalog` print the usage (exit 0)',
  withFeed(async (dir) => {
    for (const argv of [['catalog', '--help'], ['catalog', 'import', '--help'], ['help', 'catalog']]) {
      const result = await run(dir, argv);
      assert.equal(result.code, 0, argv.join(' '));
      assert.match(result.stdout, /^Usage: allowlist catalog import --from m365 FILE \[options\]\n/, argv.join(' '));
    }
    assert.match((await run(dir, ['--help'])).stdout, /\n {2}catalog import FILE {6}a catalog from a vendor's endpoint feed/);
  }),
);
