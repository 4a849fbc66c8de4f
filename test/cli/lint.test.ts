import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText, parseConfig } from '../../src/core/lint';
import { ACME_CATALOG, BROKEN, CLEAN, isolatingConfig, run, tempTree, TODAY } from './helpers';

/** The engine's own messages for BROKEN, so the tests pin the format, not other engineers' wording. */
function brokenMessages(config = isolatingConfig()): Map<string, string> {
  const { findings } = lintText(BROKEN, { fileName: 'a.allowlist.yaml', today: TODAY, config: parseConfig(config) });
  return new Map(findings.map((finding) => [finding.ruleId, finding.message]));
}

function withTree(files: Record<string, string | Buffer>, body: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const { dir, cleanup } = tempTree(files);
    try {
      await body(dir);
    } finally {
      cleanup();
    }
  };
}

test(
  'text: compiler-style lines with 1-based positions, relative paths and a summary; exit 1 on errors',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'site/a.allowlist.yaml': BROKEN }, async (dir) => {
    const result = await run(dir, ['lint', '--today', TODAY]);
    const m = brokenMessages();
    assert.equal(
      result.stdout,
      [
        `site/a.allowlist.yaml:5:12: error ${m.get('invalid-port')} [invalid-port]`,
        `site/a.allowlist.yaml:6:14: error ${m.get('expired-rule')} [expired-rule]`,
        `site/a.allowlist.yaml:10:14: info ${m.get('expires-soon')} [expires-soon]`,
        '',
        '✖ 2 errors, 1 info in 1 file',
        '',
      ].join('\n'),
    );
    assert.equal(result.code, 1);
    assert.equal(result.stderr, '');
  }),
);

test(
  'text: no colour unless stdout is a terminal and NO_COLOR is unset',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'a.allowlist.yaml': BROKEN }, async (dir) => {
    assert.doesNotMatch((await run(dir, ['lint', '--today', TODAY])).stdout, /\x1b\[/);
    assert.match((await run(dir, ['lint', '--today', TODAY], { stdoutIsTTY: true })).stdout, /\x1b\[31merror\x1b\[0m/);
    assert.doesNotMatch((await run(dir, ['lint', '--today', TODAY], { stdoutIsTTY: true, env: { NO_COLOR: '1' } })).stdout, /\x1b\[/);
  }),
);

test(
  'clean files: exit 0 and "no problems in N files"',
  withTree({ 'a.allowlist.yaml': CLEAN, 'b/b.allowlist.yml': CLEAN }, async (dir) => {
    const result = await run(dir, ['lint', '--today', TODAY]);
    assert.equal(result.stdout, 'no problems in 2 files\n');
    assert.equal(result.code, 0);
  }),
);

test(
  'json: files with findings (positions, range, fixes) and a summary',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'a.allowlist.yaml': BROKEN, 'ok.allowlist.yaml': CLEAN }, async (dir) => {
    const result = await run(dir, ['lint', '--format', 'json', '--today', TODAY]);
    assert.equal(result.code, 1);
    const json = JSON.parse(result.stdout);
    assert.match(json.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(
      json.files.map((file: { path: string }) => file.path),
      ['a.allowlist.yaml', 'ok.allowlist.yaml'],
    );
    const [port, expired, soon] = json.files[0].findings;
    assert.deepEqual(
      { ruleId: port.ruleId, severity: port.severity, line: port.line, column: port.column, endLine: port.endLine, endColumn: port.endColumn },
      { ruleId: 'invalid-port', severity: 'error', line: 5, column: 12, endLine: 5, endColumn: 17 },
    );
    assert.equal(BROKEN.slice(port.range.start, port.range.end), '99999');
    assert.ok(Array.isArray(port.fixes));
    assert.equal(typeof port.subject, 'string');
    assert.equal(expired.ruleId, 'expired-rule');
    assert.equal(soon.severity, 'info');
    assert.deepEqual(json.files[1].findings, []);
    assert.deepEqual(json.summary, { files: 2, filesWithFindings: 1, errors: 2, warnings: 0, infos: 1 });
    const text = await run(dir, ['lint', '--today', TODAY]);
    assert.match(text.stdout, /\n✖ 2 errors, 1 info in 1 of 2 files\n$/, 'the summary counts every file linted');
  }),
);

test(
  'github: one workflow command per finding, with escaped properties and data',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'dir, with: odd/a.allowlist.yaml': BROKEN }, async (dir) => {
    const result = await run(dir, ['lint', '--format', 'github', '--today', TODAY]);
    const m = brokenMessages();
    const escape = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const lines = result.stdout.trimEnd().split('\n');
    assert.deepEqual(lines, [
      `::error file=dir%2C with%3A odd/a.allowlist.yaml,line=5,col=12,endLine=5,endColumn=17,title=invalid-port::${escape(m.get('invalid-port')!)}`,
      `::error file=dir%2C with%3A odd/a.allowlist.yaml,line=6,col=14,endLine=6,endColumn=24,title=expired-rule::${escape(m.get('expired-rule')!)}`,
      `::notice file=dir%2C with%3A odd/a.allowlist.yaml,line=10,col=14,endLine=10,endColumn=24,title=expires-soon::${escape(m.get('expires-soon')!)}`,
      '✖ 2 errors, 1 info in 1 file',
    ]);
    assert.equal(result.code, 1);
  }),
);

test('github: escaping of %, CR, LF, comma and colon', async () => {
  const { escapeData, escapeProperty } = await import('../../src/core/lint');
  assert.equal(escapeData('50% done\r\nnext: a,b'), '50%25 done%0D%0Anext: a,b');
  assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
});

test(
  '--max-warnings: exit 1 only when the warnings exceed it',
  withTree({ '.allowlistrc.yaml': isolatingConfig({ 'expires-soon': 'warning' }), 'a.allowlist.yaml': BROKEN.replace('ports: 99999', 'ports: 22').replace('2020-01-01', '2026-12-31') }, async (dir) => {
    // expires-soon (as a warning) on "soon" only: one warning, no errors.
    const plain = await run(dir, ['lint', '--today', TODAY]);
    assert.equal(plain.code, 0, plain.stdout);
    assert.match(plain.stdout, /^1 warning in 1 file$/m, 'no ✖ when warnings alone do not fail the run');
    assert.equal((await run(dir, ['lint', '--today', TODAY, '--max-warnings', '1'])).code, 0);
    const over = await run(dir, ['lint', '--today', TODAY, '--max-warnings', '0']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /: 1 warning, more than --max-warnings 0/);
    const bad = await run(dir, ['lint', '--max-warnings', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-warnings must be a whole number/);
  }),
);

test(
  '--today decides what has expired, and must be a real date',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'a.allowlist.yaml': CLEAN.replace('ports: 443', 'ports: 443\n    expires: 2026-06-30') }, async (dir) => {
    assert.equal((await run(dir, ['lint', '--today', '2026-01-01'])).code, 0);
    const later = await run(dir, ['lint', '--today', '2026-07-01']);
    assert.equal(later.code, 1);
    assert.match(later.stdout, /a\.allowlist\.yaml:6:14: error .*\[expired-rule\]/);
    for (const bad of ['2026-02-30', '1/2/2026', 'tomorrow']) {
      const result = await run(dir, ['lint', '--today', bad]);
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, /allowlist: error: --today must be a date as YYYY-MM-DD/);
    }
  }),
);

test(
  'usage errors exit 2 with a clear message and the usage',
  withTree({ 'a.allowlist.yaml': CLEAN }, async (dir) => {
    const unknownFlag = await run(dir, ['lint', '--frmat', 'json']);
    assert.equal(unknownFlag.code, 2);
    assert.match(unknownFlag.stderr, /^allowlist: error: unknown option --frmat; did you mean --format\?\n/);
    assert.match((await run(dir, ['lint', '--zzz'])).stderr, /^allowlist: error: unknown option --zzz\n/, 'no suggestion for a far miss');
    assert.match((await run(dir, ['--verson'])).stderr, /^allowlist: error: unknown option --verson; did you mean --version\?\n/);
    assert.match((await run(dir, ['explain', '--catlog', 'x', 'y'])).stderr, /^allowlist: error: unknown option --catlog; did you mean --catalog\?\n/);

    // A negative number is the option's value, rejected by its own check, not node's "argument is ambiguous".
    const negative = await run(dir, ['lint', '--max-warnings', '-1']);
    assert.equal(negative.code, 2);
    assert.match(negative.stderr, /^allowlist: error: --max-warnings must be a whole number, not "-1"\n/);
    const optionAsValue = await run(dir, ['lint', '--config', '--format', 'json']);
    assert.equal(optionAsValue.code, 2);
    assert.match(optionAsValue.stderr, /^allowlist: error: option --config needs a value \(one that starts with "-" goes as --config=VALUE\)\n/);
    const valueOnFlag = await run(dir, ['lint', '--help=yes']);
    assert.equal(valueOnFlag.code, 2);
    assert.match(valueOnFlag.stderr, /^allowlist: error: option --help takes no value\n/);
    assert.match(unknownFlag.stderr, /Usage: allowlist lint/);
    assert.equal(unknownFlag.stdout, '');

    const badFormat = await run(dir, ['lint', '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /unknown --format "xml"; expected text, json, sarif, github/);

    const noValue = await run(dir, ['lint', '--format']);
    assert.equal(noValue.code, 2);
    assert.match(noValue.stderr, /allowlist: error: option --format needs a value/);

    const unknownCommand = await run(dir, ['lnt']);
    assert.equal(unknownCommand.code, 2);
    assert.match(unknownCommand.stderr, /^allowlist: error: unknown command lnt; did you mean lint\?\n/);
    assert.match((await run(dir, ['help', 'explian'])).stderr, /^allowlist: error: unknown command explian; did you mean explain\?\n/);
    assert.match((await run(dir, ['frobnicate'])).stderr, /^allowlist: error: unknown command frobnicate\n/);

    const nothing = await run(dir, []);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /Usage: allowlist <command>/);
  }),
);

test(
  'a missing path exits 2 and names it',
  withTree({ 'a.allowlist.yaml': CLEAN }, async (dir) => {
    const result = await run(dir, ['lint', 'a.allowlist.yaml', 'nope.allowlist.yaml']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'allowlist: error: nope.allowlist.yaml: no such file or folder\n');
    assert.equal(result.stdout, '');
  }),
);

test(
  'a bad config exits 2 with its path, line and column and the problem; --config picks a file',
  withTree({ '.allowlistrc.yaml': 'rules:\n  expired-rule: loud\n', 'alt.yaml': isolatingConfig(), 'a.allowlist.yaml': CLEAN }, async (dir) => {
    const result = await run(dir, ['lint']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^allowlist: error: \.allowlistrc\.yaml:2:17: rule expired-rule: severity must be error, warning, info or off, not "loud"\n$/);
    assert.equal((await run(dir, ['lint', '--config', 'alt.yaml'])).code, 0);
    const missing = await run(dir, ['lint', '--config', 'missing.yaml']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read config missing\.yaml: no such file or folder/);
  }),
);

test(
  'the config found above the working folder applies (severities)',
  withTree({ '.allowlistrc.yaml': isolatingConfig({ 'expired-rule': 'warning' }), 'sub/a.allowlist.yaml': CLEAN.replace('ports: 443', 'ports: 443\n    expires: 2020-01-01') }, async (dir) => {
    const result = await run(`${dir}/sub`, ['lint', '--today', TODAY]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /a\.allowlist\.yaml:6:14: warning .*\[expired-rule\]/);
  }),
);

test(
  'folder discovery: named and marked files, not other YAML, node_modules or dot-folders',
  withTree(
    {
      '.allowlistrc.yaml': isolatingConfig(),
      'named.allowlist.yaml': BROKEN,
      'deep/er/marked.yml': `# firewall\n${BROKEN}`,
      'quoted.yaml': BROKEN.replace('allowlist: 1', '"allowlist": 1'),
      // Marked files saved with a byte order mark, or as UTF-16 (Windows PowerShell 5.1's `>`), are allowlists too.
      'bom.yaml': `\uFEFF${BROKEN}`,
      'utf16.yaml': Buffer.from(`\uFEFF${BROKEN}`, 'utf16le'),
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["99999:80"]\n',
      'nested-key.yaml': 'config:\nallowlisted: true\nx:\n  allowlist: 1\n',
      'node_modules/pkg/x.allowlist.yaml': BROKEN,
      '.hidden/y.allowlist.yaml': BROKEN,
      'README.md': 'allowlist: 1\n',
    },
    async (dir) => {
      const result = await run(dir, ['lint', '--format', 'json', '--today', TODAY]);
      const paths = JSON.parse(result.stdout).files.map((file: { path: string }) => file.path);
      assert.deepEqual(paths, ['bom.yaml', 'deep/er/marked.yml', 'named.allowlist.yaml', 'quoted.yaml', 'utf16.yaml']);
    },
  ),
);

test(
  'explicitly named files are linted as allowlists whatever their name; --only-allowlists skips other YAML',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'rules.yaml': BROKEN.replace('allowlist: 1\n', ''), 'compose.yaml': 'services: {}\n' }, async (dir) => {
    const named = await run(dir, ['lint', 'rules.yaml', '--today', TODAY]);
    assert.equal(named.code, 1);
    assert.match(named.stdout, /^rules\.yaml:4:12: error .*\[invalid-port\]$/m);
    assert.match(named.stdout, /\[schema\]/, 'the missing `allowlist: 1` is reported');
    const precommit = await run(dir, ['lint', '--only-allowlists', 'compose.yaml', 'rules.yaml']);
    assert.equal(precommit.code, 0);
    assert.equal(precommit.stderr, 'allowlist: no allowlists found under compose.yaml, rules.yaml (files named *.allowlist.yaml, or YAML with a top-level `allowlist: 1`)\n');
  }),
);

test(
  'a path with no allowlists exits 2 (a mistyped path must not pass CI), unless --allow-empty',
  withTree({ 'docs/readme.md': 'no YAML here\n', 'site/a.allowlist.yaml': CLEAN }, async (dir) => {
    const empty = await run(dir, ['lint', 'docs']);
    assert.equal(empty.code, 2);
    assert.equal(empty.stderr, 'allowlist: error: no allowlists found under docs (files named *.allowlist.yaml, or YAML with a top-level `allowlist: 1`); pass --allow-empty if that is expected\n');
    assert.equal(empty.stdout, '');
    const allowed = await run(dir, ['lint', '--allow-empty', 'docs']);
    assert.equal(allowed.code, 0);
    assert.equal(allowed.stdout, 'no problems in 0 files\n');
    assert.match(allowed.stderr, /^allowlist: no allowlists found under docs /);
    assert.equal((await run(`${dir}/docs`, ['lint'])).code, 2, 'the current folder too');
    const missing = await run(dir, ['lint', 'sites']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'allowlist: error: sites: no such file or folder\n');
  }),
);

test(
  'binary, non-UTF-8, empty and not-a-mapping files get clear findings, not exceptions',
  withTree(
    {
      '.allowlistrc.yaml': isolatingConfig(),
      'binary.allowlist.yaml': Buffer.from([0x61, 0x6c, 0x00, 0x01, 0xff]),
      'latin1.allowlist.yaml': Buffer.concat([Buffer.from('allowlist: 1\nsite: Caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      'empty.allowlist.yaml': '',
      'list.allowlist.yaml': '- a\n- b\n',
      'scalar.allowlist.yaml': 'just text\n',
      'two.allowlist.yaml': 'allowlist: 1\n---\nallowlist: 1\n',
      // What Windows PowerShell 5.1's `Get-Content a.yaml > b.allowlist.yaml` writes.
      'utf16.allowlist.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('allowlist: 1\noutbound:\n  - name: x\n    to: a.example.com\n    ports: 99999\n', 'utf16le')]),
    },
    async (dir) => {
      const result = await run(dir, ['lint', '--format', 'json']);
      assert.equal(result.code, 1);
      assert.equal(result.stderr, '');
      const byPath = new Map<string, { ruleId: string; message: string; line: number; column: number }[]>(
        JSON.parse(result.stdout).files.map((file: { path: string; findings: [] }) => [file.path, file.findings]),
      );
      assert.match(byPath.get('binary.allowlist.yaml')![0].message, /binary \(it contains NUL bytes\)/);
      const latin1 = byPath.get('latin1.allowlist.yaml')![0];
      assert.match(latin1.message, /not valid UTF-8 \(byte 0xe9 at byte offset 22\)/);
      assert.deepEqual([latin1.line, latin1.column], [2, 10]);
      for (const path of ['empty.allowlist.yaml', 'list.allowlist.yaml', 'scalar.allowlist.yaml']) {
        const findings = byPath.get(path)!;
        assert.ok(findings.length > 0, `${path} has a finding`);
        assert.ok(findings.every((finding) => ['schema', 'yaml-syntax'].includes(finding.ruleId)), `${path}: ${JSON.stringify(findings)}`);
      }
      assert.deepEqual(byPath.get('list.allowlist.yaml')!.map((finding) => finding.message), ['allowlist must be a mapping']);
      assert.deepEqual(byPath.get('two.allowlist.yaml')!.map((finding) => [finding.line, finding.message]), [
        [2, 'a second YAML document starts here (`---`): an allowlist is one document; split the file, or remove the marker'],
      ]);
      // UTF-16 is read (and linted: the bad port is found), with a warning to save it as UTF-8.
      const utf16 = byPath.get('utf16.allowlist.yaml')!;
      assert.match(utf16[0].message, /^the file is saved as UTF-16 .* save it as UTF-8$/);
      assert.deepEqual(utf16.slice(1).map((finding) => [finding.ruleId, finding.line]), [['invalid-port', 5]]);
      const text = await run(dir, ['lint']);
      assert.match(text.stdout, /^binary\.allowlist\.yaml:1:1: error the file is binary/m);
    },
  ),
);

test(
  'user catalogs: --catalog loads one; a broken one exits 2; catalogs in linted folders are linted and used',
  withTree(
    {
      '.allowlistrc.yaml': isolatingConfig(),
      'vendors/acme.catalog.yaml': ACME_CATALOG,
      'broken.catalog.yaml': ACME_CATALOG.replace('host: relay.acme.example', 'hots: relay.acme.example'),
      'site/a.allowlist.yaml': CLEAN,
    },
    async (dir) => {
      const explainWith = await run(dir, ['explain', 'relay.acme.example', '--catalog', 'vendors']);
      assert.equal(explainWith.code, 0, explainWith.stderr);
      assert.match(explainWith.stdout, /relay for remote sessions/);
      // Without --catalog, explain finds the catalogs lint would: those under the folder it runs in, not elsewhere.
      assert.equal((await run(dir, ['explain', 'relay.acme.example'])).code, 0, 'found under the current folder');
      assert.equal((await run(join(dir, 'site'), ['explain', 'relay.acme.example'])).code, 1, 'not known where no catalog is near');

      const broken = await run(dir, ['lint', 'site', '--catalog', 'broken.catalog.yaml']);
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /^allowlist: error: catalog broken\.catalog\.yaml \(--catalog\) failed to load:\n  broken\.catalog\.yaml:\d+:\d+: .+\[schema\]/);

      const missing = await run(dir, ['lint', 'site', '--catalog', 'nope.catalog.yaml']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /catalog nope\.catalog\.yaml \(--catalog\): no such file or folder/);

      // Linting the whole folder: the broken catalog is reported as findings (exit 1), the good one is linted clean.
      const all = await run(dir, ['lint', '--format', 'json']);
      assert.equal(all.code, 1);
      const files = JSON.parse(all.stdout).files as { path: string; findings: { ruleId: string }[] }[];
      assert.deepEqual(files.map((file) => file.path), ['broken.catalog.yaml', 'site/a.allowlist.yaml', 'vendors/acme.catalog.yaml']);
      assert.ok(files[0].findings.some((finding) => finding.ruleId === 'schema'));
      assert.deepEqual(files[2].findings, []);
      assert.equal(all.stderr, '', 'a broken catalog that is linted has findings, not also a "left out" warning');
    },
  ),
);

test(
  'catalogs kept anywhere in the git repository serve an allowlist linted on its own (pre-commit passes single files)',
  withTree(
    {
      '.allowlistrc.yaml': isolatingConfig({ 'unknown-vendor': 'error' }),
      '.git/HEAD': 'ref: refs/heads/main\n',
      'vendor/acme.catalog.yaml': ACME_CATALOG,
      'vendor/broken.catalog.yaml': 'catalog: 1\nvendor: [not, a, mapping]\n',
      'sites/a.allowlist.yaml': 'allowlist: 1\nvendors:\n  acme: {}\noutbound:\n  - name: relay\n    vendor: acme\n    to: relay.acme.example\n    ports: "7000-7100"\n',
    },
    async (dir) => {
      for (const argv of [['lint', 'sites/a.allowlist.yaml'], ['lint', 'sites'], ['lint', 'a.allowlist.yaml']]) {
        const result = await run(argv[1] === 'a.allowlist.yaml' ? join(dir, 'sites') : dir, argv);
        assert.equal(result.code, 0, `${argv.join(' ')}: ${result.stdout}${result.stderr}`);
        assert.doesNotMatch(result.stdout, /unknown-vendor/);
      }
      // Outside a repository only the named paths count: the vendor is unknown.
      rmSync(join(dir, '.git'), { recursive: true });
      const outside = await run(dir, ['lint', 'sites/a.allowlist.yaml']);
      assert.equal(outside.code, 1);
      assert.match(outside.stdout, /\[unknown-vendor\]/);
    },
  ),
);

test(
  'two repository catalogs of one vendor that differ: a warning names both and the one used; copies alike are one',
  withTree(
    {
      '.allowlistrc.yaml': isolatingConfig(),
      '.git/HEAD': 'ref: refs/heads/main\n',
      'a/acme.catalog.yaml': ACME_CATALOG,
      'm/acme-same.catalog.yaml': ACME_CATALOG,
      'z/acme-copy.catalog.yaml': ACME_CATALOG.replace('7000-7100', '7000-7200'),
      'sites/a.allowlist.yaml': CLEAN,
    },
    async (dir) => {
      const result = await run(dir, ['lint', 'sites']);
      assert.equal(result.code, 0, result.stdout);
      assert.equal(result.stderr, 'allowlist: warning: catalogs m/acme-same.catalog.yaml and z/acme-copy.catalog.yaml both describe vendor "acme", differently: z/acme-copy.catalog.yaml is used; keep one of them\n');
    },
  ),
);

test(
  'the config\'s catalogs are loaded relative to the config file',
  withTree(
    { '.allowlistrc.yaml': `${isolatingConfig()}catalogs:\n  - vendors\n`, 'vendors/acme.catalog.yaml': ACME_CATALOG, 'sub/.keep': '' },
    async (dir) => {
      const result = await run(`${dir}/sub`, ['explain', '7050']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /TCP 7000-7100: “relay for remote sessions” — relay\.acme\.example \(Acme Remote, outbound; 7050 is within it\)/);
    },
  ),
);

test('help and version', async () => {
  const { dir, cleanup } = tempTree({});
  try {
    const help = await run(dir, ['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: allowlist <command>/);
    assert.match(help.stdout, /probe-script FILE/);
    for (const argv of [['help', '--help'], ['help', '-h'], ['help', 'help']]) {
      const helpHelp = await run(dir, argv);
      assert.equal(helpHelp.code, 0, argv.join(' '));
      assert.equal(helpHelp.stdout, help.stdout, argv.join(' '));
    }
    const lintHelp = await run(dir, ['help', 'lint']);
    assert.match(lintHelp.stdout, /--max-warnings N/);
    assert.equal((await run(dir, ['lint', '--help'])).stdout, lintHelp.stdout);
    const version = await run(dir, ['--version']);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const rules = await run(dir, ['rules']);
    assert.equal(rules.code, 0);
    assert.match(rules.stdout, /^expired-rule +error +A rule whose `expires` date has passed is still open on the firewall\.$/m);
  } finally {
    cleanup();
  }
});

test(
  '--output FORMAT=FILE: the same lint written in other formats to files (folders made), byte for byte what --format prints; stdout unchanged',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'site/a.allowlist.yaml': BROKEN, 'site/ok.allowlist.yaml': CLEAN }, async (dir) => {
    const common = ['lint', 'site', '--today', TODAY];
    const alone = async (format: string) => (await run(dir, [...common, '--format', format])).stdout;
    const both = await run(dir, [...common, '--format', 'github', '--output', 'sarif=reports/allowlist.sarif', '--output', 'json=r.json', '--output', 'text=r.txt']);
    assert.equal(both.code, 1, 'findings: the status of the lint');
    assert.equal(both.stdout, await alone('github'));
    assert.equal(readFileSync(join(dir, 'reports/allowlist.sarif'), 'utf8'), await alone('sarif'));
    assert.equal(readFileSync(join(dir, 'r.json'), 'utf8'), await alone('json'));
    assert.equal(readFileSync(join(dir, 'r.txt'), 'utf8'), await alone('text'));
    assert.match(readFileSync(join(dir, 'r.txt'), 'utf8'), /invalid-port/);
  }),
);

test(
  '--output: usage errors (no FORMAT=, an unknown format, one file twice, a file being linted) write nothing; a file that cannot be written is exit 2 after the report',
  withTree({ '.allowlistrc.yaml': isolatingConfig(), 'a.allowlist.yaml': BROKEN }, async (dir) => {
    const lint = (...extra: string[]) => run(dir, ['lint', '--today', TODAY, ...extra]);
    // The linted file by another name.
    symlinkSync('a.allowlist.yaml', join(dir, 'link.json'));
    for (const [extra, message] of [
      [['--output', 'allowlist.sarif'], /--output takes FORMAT=FILE/],
      [['--output', 'sarif='], /--output takes FORMAT=FILE/],
      [['--output', 'xml=a.xml'], /unknown format "xml" in --output xml=a\.xml; expected text, json, sarif, github/],
      [['--output', 'sarif=r', '--output', 'json=./r'], /--output names \.\/r twice/],
      [['--output', 'json=-'], /--output json=-: standard output has the --format report; name a file, or use --format json/],
      [['--output', 'text=a.allowlist.yaml'], /--output text=a\.allowlist\.yaml would overwrite a file being linted/],
      [['--output', 'json=link.json'], /--output json=link\.json would overwrite a file being linted/],
    ] as const) {
      const result = await lint(...extra);
      assert.equal(result.code, 2, extra.join(' '));
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '', 'no report');
    }
    assert.equal(readFileSync(join(dir, 'a.allowlist.yaml'), 'utf8'), BROKEN, 'the allowlist is unchanged');
    assert.ok(!existsSync(join(dir, 'r')) && !existsSync(join(dir, 'a.xml')));

    mkdirSync(join(dir, 'taken'));
    const blocked = await lint('--output', 'json=taken');
    assert.equal(blocked.code, 2);
    assert.match(blocked.stderr, /cannot write the json report to taken: /);
    assert.equal(blocked.stdout, (await lint()).stdout, 'the report on stdout all the same');
  }),
);
