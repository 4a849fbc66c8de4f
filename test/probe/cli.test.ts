import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CliIO } from '../../src/cli/io';
import { probeCommand, probeTargetsFromFile } from '../../src/cli/probe';
import { probeScriptCommand } from '../../src/cli/probe-script';
import type { ProbeTarget } from '../../src/core/probe';
import { closeAtOnce, closedPort, dnsServer, listen, makeCerts } from './fixtures';

function fakeIO(opts: Partial<CliIO> = {}): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    cwd: '/work/allowlists',
    env: {}, // no proxy variables, whatever the machine has
    stderrIsTTY: false,
    stdoutIsTTY: false,
    ...opts,
  };
  return io;
}

describe('allowlist probe', () => {
  let server: net.Server;
  let secure: tls.Server;
  let openPort: number;
  let closed: number;
  let tlsPort: number;
  const target = (rule: string, port: number, required?: boolean): ProbeTarget => ({
    rule,
    direction: 'outbound',
    host: '127.0.0.1',
    ports: [{ from: port, to: port }],
    protocol: 'tcp',
    ...(required === undefined ? {} : { required }),
  });
  const files: Record<string, () => ProbeTarget[]> = {};
  const paths: string[] = [];
  const fromFile = async (path: string) => {
    paths.push(path);
    const make = files[path];
    if (!make) throw new Error('no such file');
    return make();
  };

  before(async () => {
    server = net.createServer(closeAtOnce);
    openPort = await listen(server);
    closed = await closedPort();
    files['/work/allowlists/ok.yaml'] = () => [target('api', openPort)];
    files['/work/allowlists/broken.yaml'] = () => [target('api', openPort), target('db', closed)];
    files['/work/allowlists/optional.yaml'] = () => [target('api', openPort), target('extra', closed, false)];
    // A certificate from a CA this machine does not trust, named like a firewall's: TLS inspection.
    const certs = makeCerts('inspected.test');
    secure = tls.createServer({ cert: certs.cert, key: certs.key }, (s) => s.end());
    secure.on('tlsClientError', () => {});
    tlsPort = await listen(secure);
    files['/work/allowlists/inspected.yaml'] = () => [target('api', openPort), { ...target('vendor-api', tlsPort), tlsPorts: [tlsPort] }];
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    await new Promise((r) => secure.close(r));
  });

  test('exits 0 with a table when every required endpoint is open', async () => {
    const io = fakeIO();
    assert.equal(await probeCommand(['ok.yaml'], io, fromFile), 0);
    assert.equal(paths.at(-1), '/work/allowlists/ok.yaml', 'FILE is resolved against cwd');
    assert.match(io.out, /^rule\s+host\s+address\s+port\s+state/);
    assert.match(io.out, new RegExp(`api\\s+127\\.0\\.0\\.1\\s+127\\.0\\.0\\.1\\s+${openPort}\\s+open`));
    assert.equal(io.err, '', 'no progress when stderr is not a terminal');
  });

  test('exits 1 and names the endpoint when a required one is closed', async () => {
    const io = fakeIO();
    assert.equal(await probeCommand(['broken.yaml'], io, fromFile), 1);
    assert.match(io.out, new RegExp(`1 required endpoint\\(s\\) not reachable: db 127\\.0\\.0\\.1:${closed}`));
  });

  test('a closed endpoint marked not required does not fail the run', async () => {
    assert.equal(await probeCommand(['optional.yaml'], fakeIO(), fromFile), 0);
  });

  test('--json prints one object with the results', async () => {
    const io = fakeIO();
    assert.equal(await probeCommand(['broken.yaml', '--json', '--timeout', '1500', '--concurrency', '4'], io, fromFile), 1);
    const parsed = JSON.parse(io.out) as { results: { rule: string; state: string }[] };
    assert.deepEqual(parsed.results.map((r) => [r.rule, r.state]), [['api', 'open'], ['db', 'closed']]);
  });

  test('suspected TLS inspection fails the endpoint: exit 1, the advice in the summary and the JSON', async () => {
    const io = fakeIO();
    assert.equal(await probeCommand(['inspected.yaml'], io, fromFile), 1);
    assert.match(io.out, new RegExp(`vendor-api\\s+127\\.0\\.0\\.1\\s+127\\.0\\.0\\.1\\s+${tlsPort}\\s+open\\s+\\d+\\s+FortiGate Test CA \\(inspection\\?\\)`));
    assert.doesNotMatch(io.out, /all required endpoints reachable/);
    assert.match(io.out, new RegExp(`\\n1 required endpoint\\(s\\) not reachable: vendor-api 127\\.0\\.0\\.1:${tlsPort}\\n`));
    assert.match(io.out, new RegExp(`\\n  vendor-api 127\\.0\\.0\\.1:${tlsPort}: TLS inspection suspected: TLS is intercepted \\(issuer "FortiGate Test CA"\\): exempt 127\\.0\\.0\\.1 from TLS inspection\\n`));

    const json = fakeIO();
    assert.equal(await probeCommand(['inspected.yaml', '--json'], json, fromFile), 1);
    const parsed = JSON.parse(json.out) as { ok: boolean; summary: string; failed: { rule: string; port: number; state: string; reason: string; advice: string }[] };
    assert.equal(parsed.ok, false);
    assert.match(parsed.summary, /^1 required endpoint\(s\) not reachable: vendor-api/);
    assert.deepEqual(parsed.failed.map((f) => [f.rule, f.port, f.state, f.reason]), [['vendor-api', tlsPort, 'open', 'TLS inspection suspected']]);
    assert.match(parsed.failed[0].advice, /exempt 127\.0\.0\.1 from TLS inspection/);
  });

  test('shows progress on stderr when it is a terminal', async () => {
    const io = fakeIO({ stderrIsTTY: true });
    await probeCommand(['broken.yaml'], io, fromFile);
    assert.match(io.err, /probing 1\/2.*probing 2\/2/s);
  });

  test('usage errors exit 2', async () => {
    for (const argv of [[], ['a.yaml', 'b.yaml'], ['ok.yaml', '--timeout', 'soon'], ['ok.yaml', '--concurrency', '0'], ['ok.yaml', '--bogus'], ['ok.yaml', '--dns', 'ns.example']]) {
      const io = fakeIO();
      assert.equal(await probeCommand(argv, io, fromFile), 2, argv.join(' '));
      assert.match(io.err, /usage: allowlist probe FILE/);
    }
    // Our own words for each, never node's argument-parser text.
    const messages: [string[], RegExp][] = [
      [['ok.yaml', '--timeout', '-1'], /^allowlist probe: --timeout wants a positive whole number, not "-1"\n/],
      [['ok.yaml', '--concurrency', '-5'], /^allowlist probe: --concurrency wants a positive whole number, not "-5"\n/],
      // Past the longest timer, a time-out was cut to 1 ms (every name "did not answer") or crashed the probe.
      [['ok.yaml', '--timeout', '2147483648'], /^allowlist probe: --timeout is at most 2147483647, not 2147483648\n/],
      [['ok.yaml', '--proxy', 'notaurl'], /^allowlist probe: --proxy wants a URL such as http:\/\/proxy\.example:3128 \(http or https\), not "notaurl"\n/],
      [['ok.yaml', '--proxy', 'proxy.example:3128'], /^allowlist probe: --proxy wants a URL .*, not "proxy\.example:3128"\n/],
      [['ok.yaml', '--proxy', 'socks5://127.0.0.1:1080'], /^allowlist probe: --proxy wants a URL /],
      [['ok.yaml', '--timout', '5'], /^allowlist probe: unknown option --timout; did you mean --timeout\?\n/],
    ];
    for (const [argv, message] of messages) {
      const io = fakeIO();
      assert.equal(await probeCommand(argv, io, fromFile), 2, argv.join(' '));
      assert.match(io.err, message);
    }
    const io = fakeIO();
    assert.equal(await probeCommand(['missing.yaml'], io, fromFile), 2);
    assert.match(io.err, /cannot read missing\.yaml: no such file/);
  });
});

const ACME = [
  'catalog: 1',
  'vendor:',
  '  id: acme',
  '  name: Acme Remote',
  'endpoints:',
  '  - id: api',
  '    role: API calls',
  '    host: api.acme.test',
  '    ports: [443]',
  '    allowlist-by: hostname',
  '    source:',
  '      url: https://acme.example/firewall',
  'inbound-sources:',
  '  - id: webhooks',
  '    address: 192.0.2.77',
  '    role: webhooks into your server',
  '    source:',
  '      url: https://acme.example/firewall',
  '',
].join('\n');

describe('allowlist probe with the catalogs lint uses', () => {
  let server: net.Server;
  let openPort: number;
  let dns: Awaited<ReturnType<typeof dnsServer>>;
  let dir: string;
  const allowlist = (port: number) =>
    [
      'allowlist: 1',
      'vendors:',
      '  acme: {}',
      'outbound:',
      '  - name: acme-by-ip',
      '    vendor: acme',
      '    to: 127.0.0.1',
      `    ports: ${port}`,
      'inbound:',
      '  - name: acme-webhooks',
      '    vendor: acme',
      '    from: any',
      '    to: 127.0.0.1',
      `    ports: ${port}`,
      '',
    ].join('\n');

  before(async () => {
    server = net.createServer(closeAtOnce);
    openPort = await listen(server);
    // The vendor's hostname resolves to the address the rule pins (served by the test's own DNS server).
    dns = await dnsServer({ 'api.acme.test': { a: ['127.0.0.1'] } });
    dir = mkdtempSync(join(tmpdir(), 'probe-catalogs-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dns.close();
    await new Promise((r) => server.close(r));
  });

  async function probeJson(cwd: string, argv: string[]) {
    const io = fakeIO({ cwd });
    const code = await probeCommand([...argv, '--json', '--dns', dns.server], io, probeTargetsFromFile);
    assert.equal(io.err, '', io.err);
    return { code, report: JSON.parse(io.out) as { pinned: { rule: string; address: string; hostnames: string[] }[]; results: { rule: string; state: string; detail: string; advice: string }[] } };
  }

  function assertAcme(report: Awaited<ReturnType<typeof probeJson>>['report']) {
    assert.deepEqual(report.pinned.map((p) => [p.rule, p.address, p.hostnames]), [['acme-by-ip', '127.0.0.1', ['api.acme.test']]]);
    const byIp = report.results.find((r) => r.rule === 'acme-by-ip')!;
    assert.equal(byIp.state, 'open');
    assert.match(byIp.advice, /allows 127\.0\.0\.1, which is currently an address of api\.acme\.test.*allowlist api\.acme\.test by hostname/);
    const inbound = report.results.find((r) => r.rule === 'acme-webhooks')!;
    assert.equal(inbound.state, 'listening');
    assert.match(inbound.detail, /Acme Remote connects from 192\.0\.2\.77 \(its catalog\)/, 'the sources come from the catalog, not the rule\'s `from: any`');
  }

  test('a catalog beside the file: the pinned IP is reported (table and JSON) and the inbound rule names its sources', async () => {
    // Outside a git repository, beside the file is in its folder (a catalog in a folder below it is not searched for).
    const site = join(dir, 'beside');
    mkdirSync(join(site, 'vendors'), { recursive: true });
    writeFileSync(join(site, 'site.allowlist.yaml'), allowlist(openPort));
    writeFileSync(join(site, 'vendors', 'acme.catalog.yaml'), ACME);
    assert.deepEqual((await probeJson(site, ['site.allowlist.yaml'])).report.pinned, [], 'vendors/ is below the file, not beside it');
    renameSync(join(site, 'vendors', 'acme.catalog.yaml'), join(site, 'acme.catalog.yaml'));
    const { code, report } = await probeJson(site, ['site.allowlist.yaml']);
    assert.equal(code, 0, 'a pinned IP is advice: it does not fail the run');
    assertAcme(report);

    const io = fakeIO({ cwd: site });
    await probeCommand(['site.allowlist.yaml', '--dns', dns.server], io, probeTargetsFromFile);
    assert.match(io.out, /acme-by-ip .*reachable; rule "acme-by-ip" allows 127\.0\.0\.1, which is currently an address of api\.acme\.test/);
  });

  test('--catalog PATH and the catalogs .allowlistrc.yaml lists', async () => {
    const site = join(dir, 'elsewhere');
    mkdirSync(join(site, 'site'), { recursive: true });
    mkdirSync(join(site, 'shared-catalogs'), { recursive: true });
    writeFileSync(join(site, 'site', 'site.allowlist.yaml'), allowlist(openPort));
    writeFileSync(join(site, 'shared-catalogs', 'acme.catalog.yaml'), ACME);
    const without = await probeJson(site, ['site/site.allowlist.yaml']);
    assert.deepEqual(without.report.pinned, [], 'no acme catalog: nothing to compare with');
    assert.match(without.report.results.find((r) => r.rule === 'acme-webhooks')!.detail, /the rule allows connections from any/);
    assertAcme((await probeJson(site, ['site/site.allowlist.yaml', '--catalog', 'shared-catalogs'])).report);
    writeFileSync(join(site, '.allowlistrc.yaml'), 'catalogs: [shared-catalogs/]\n');
    assertAcme((await probeJson(site, ['site/site.allowlist.yaml'])).report);
  });

  test('a broken catalog beside the file is left out with a warning, as lint warns, and the good one is used', async () => {
    const site = join(dir, 'broken-beside');
    mkdirSync(site, { recursive: true });
    writeFileSync(join(site, 'site.allowlist.yaml'), allowlist(openPort));
    writeFileSync(join(site, 'acme.catalog.yaml'), ACME);
    writeFileSync(join(site, 'broken.catalog.yaml'), 'catalog: 1\nvendor: [not, a, mapping]\n');
    const io = fakeIO({ cwd: site });
    assert.equal(await probeCommand(['site.allowlist.yaml', '--json', '--dns', dns.server], io, probeTargetsFromFile), 0);
    assert.equal(io.err, 'allowlist: warning: catalog broken.catalog.yaml left out:\n  broken.catalog.yaml:2:9: vendor must be a mapping [schema]\n');
    assertAcme(JSON.parse(io.out));
  });

  test('a catalog that --catalog names but cannot load is an error (exit 2)', async () => {
    const io = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['x.allowlist.yaml', '--catalog', 'missing.catalog.yaml'], io, probeTargetsFromFile), 2);
    assert.match(io.err, /catalog missing\.catalog\.yaml \(--catalog\): no such file or folder/);
  });
});

describe('allowlist probe-script', () => {
  let dir: string;
  const fromFile = async () => [
    { rule: 'api', direction: 'outbound' as const, host: 'api.vendor.example', ports: [{ from: 443, to: 443 }], protocol: 'tcp' as const },
  ];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'probe-script-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('writes an executable bash script with -o', async () => {
    const io = fakeIO({ cwd: dir });
    assert.equal(await probeScriptCommand(['a.yaml', '--shell', 'bash', '-o', 'probe.sh', '--timeout', '1000'], io, fromFile), 0);
    const script = readFileSync(join(dir, 'probe.sh'), 'utf8');
    assert.match(script, /^#!\/usr\/bin\/env bash/);
    assert.match(script, /^TIMEOUT=1\.0 /m);
    assert.match(script, /run b000000 'api' 'api\.vendor\.example' 'api\.vendor\.example' 443 1 0/);
    assert.equal(statSync(join(dir, 'probe.sh')).mode & 0o111, 0o111);
    // `-o -` is standard output, not a file named "-".
    const toStdout = fakeIO({ cwd: dir });
    assert.equal(await probeScriptCommand(['a.yaml', '--shell', 'bash', '-o', '-', '--timeout', '1000'], toStdout, fromFile), 0);
    assert.equal(toStdout.out, script);
    assert.ok(!existsSync(join(dir, '-')));
  });

  test('-o writes PowerShell as UTF-8 with a BOM and CRLF (Windows PowerShell 5.1 reads it right), bash without a BOM', async () => {
    const names = async () => [
      { rule: 'caf\u00e9-\u2018api\u2019', direction: 'outbound' as const, host: 'api.vendor.example', ports: [{ from: 443, to: 443 }], protocol: 'tcp' as const },
    ];
    assert.equal(await probeScriptCommand(['a.yaml', '--shell', 'powershell', '-o', 'probe.ps1'], fakeIO({ cwd: dir }), names), 0);
    const ps = readFileSync(join(dir, 'probe.ps1'));
    assert.deepEqual([...ps.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = ps.subarray(3).toString('utf8');
    assert.ok(text.includes("Rule = 'caf\u00e9-\u2018\u2018api\u2019\u2019'"), 'non-ASCII kept, typographic quotes escaped');
    assert.doesNotMatch(text, /[^\r]\n/, 'CRLF line ends');
    assert.equal(await probeScriptCommand(['a.yaml', '--shell', 'bash', '-o', 'probe.sh'], fakeIO({ cwd: dir }), names), 0);
    const sh = readFileSync(join(dir, 'probe.sh'));
    assert.equal(sh.subarray(0, 2).toString(), '#!', 'no BOM before the shebang');
  });

  test('uses the catalogs beside the file: an inbound rule names the vendor\'s published sources', async () => {
    const site = mkdtempSync(join(dir, 'site-'));
    writeFileSync(join(site, 'acme.catalog.yaml'), ACME);
    writeFileSync(join(site, 'in.allowlist.yaml'), ['allowlist: 1', 'inbound:', '  - name: hook', '    vendor: acme', '    from: any', '    to: 10.20.0.15', '    ports: 443', ''].join('\n'));
    const io = fakeIO({ cwd: site });
    assert.equal(await probeScriptCommand(['in.allowlist.yaml', '--shell', 'bash'], io, probeTargetsFromFile), 0);
    assert.match(io.out, /run b000000 'hook' '10\.20\.0\.15' '10\.20\.0\.15' 443 0 1 'Acme Remote connects from 192\.0\.2\.77' 1/);
  });

  test('prints PowerShell to stdout without -o', async () => {
    const io = fakeIO({ cwd: dir });
    assert.equal(await probeScriptCommand(['a.yaml', '--shell', 'powershell'], io, fromFile), 0);
    assert.match(io.out, /\[System\.Net\.Dns\]::GetHostAddresses/);
  });

  test('a missing or unknown --shell is a usage error', async () => {
    for (const argv of [['a.yaml'], ['a.yaml', '--shell', 'zsh']]) {
      const io = fakeIO({ cwd: dir });
      assert.equal(await probeScriptCommand(argv, io, fromFile), 2);
      assert.match(io.err, /--shell/);
    }
  });
});

describe('probe and probe-script refuse a file they cannot read reliably, and connect nowhere', () => {
  let dir: string;
  let server: net.Server;
  let port: number;
  let connections = 0;
  const rule = (lines: string[]) => ['allowlist: 1', 'outbound:', '  - name: api', '    to: 127.0.0.1', `    ports: ${port}`, ...lines, ''].join('\n');
  /** The connections the server accepted since the last call: a marker connection of the test's own is accepted
   * after any the command made (the accept queue is in order), so when it is counted, theirs are too. */
  async function acceptedSinceLast(): Promise<number> {
    const before = connections;
    const marker = net.connect(port, '127.0.0.1');
    marker.on('error', () => {});
    while (connections === before) await new Promise((r) => setImmediate(r));
    marker.destroy();
    const made = connections - 1;
    connections = 0;
    return made;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'probe-refuse-'));
    server = net.createServer((socket) => {
      connections++;
      closeAtOnce(socket);
    });
    port = await listen(server);
  });
  after(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the file without its errors connects (the server counts)', async () => {
    writeFileSync(join(dir, 'good.allowlist.yaml'), rule([]));
    assert.equal(await probeCommand(['good.allowlist.yaml'], fakeIO({ cwd: dir }), probeTargetsFromFile), 0);
    assert.ok((await acceptedSinceLast()) > 0);
  });

  const broken: Record<string, () => string> = {
    'misspelt key (schema)': () => rule(['    protocl: tcp']),
    'wrong types in an inbound rule (schema, invalid-address)': () =>
      ['allowlist: 1', 'inbound:', '  - name: in', '    from: [1, 2]', '    to: 127.0.0.1', `    ports: ${port}`, ''].join('\n'),
    'a tab-indented rule after a good one (yaml-syntax)': () => rule(['  - name: b', '\tto: 192.0.2.1', '\tports: 443']),
    'a port that does not parse (invalid-port)': () => rule(['  - name: b', '    to: 192.0.2.1', '    ports: "99999"']),
    'an address that does not parse (invalid-address)': () => rule(['  - name: b', '    to: 300.1.2.3', '    ports: 443']),
  };
  for (const [what, text] of Object.entries(broken)) {
    test(`${what}: probe exits 2 with the reason and opens no socket; probe-script writes nothing`, async () => {
      writeFileSync(join(dir, 'x.allowlist.yaml'), text());
      const io = fakeIO({ cwd: dir });
      assert.equal(await probeCommand(['x.allowlist.yaml'], io, probeTargetsFromFile), 2);
      assert.match(io.err, /^allowlist probe: x\.allowlist\.yaml has \d+ errors? that makes? its rules unreliable; run `allowlist lint x\.allowlist\.yaml`\n$/);
      assert.equal(io.out, '');
      assert.equal(await acceptedSinceLast(), 0, 'no connection to the rule\'s endpoint');

      const script = fakeIO({ cwd: dir });
      assert.equal(await probeScriptCommand(['x.allowlist.yaml', '--shell', 'bash'], script, probeTargetsFromFile), 2);
      assert.match(script.err, /^allowlist probe-script: x\.allowlist\.yaml has \d+ errors? that makes? its rules unreliable/);
      assert.equal(script.out, '');
    });
  }

  test('binary, empty, deeply nested: each refused with exit 2, as lint finds them', async () => {
    const files: Record<string, string | Buffer> = {
      'random.allowlist.yaml': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      'empty.allowlist.yaml': '',
      'deep.allowlist.yaml': `allowlist: 1\noutbound: ${'['.repeat(300)}${']'.repeat(300)}\n`,
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), content);
      const io = fakeIO({ cwd: dir });
      assert.equal(await probeCommand([name], io, probeTargetsFromFile), 2, name);
      assert.match(io.err, new RegExp(`^allowlist probe: ${name.replace(/\./g, '\\.')} has \\d+ errors? that makes? its rules unreliable; run`), name);
    }
    assert.equal(await acceptedSinceLast(), 0);
  });

  test('over the size limit: says what lint says', async () => {
    writeFileSync(join(dir, 'big.allowlist.yaml'), rule([`# ${'x'.repeat(5.5 * 1024 * 1024)}`]));
    const io = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['big.allowlist.yaml'], io, probeTargetsFromFile), 2);
    assert.match(io.err, /^allowlist probe: big\.allowlist\.yaml: the file is 5\.5 MB, over the linter's limit of 5\.0 MB: it is not linted\./);
    assert.equal(await acceptedSinceLast(), 0);
  });

  test('a file that is not there, or not an allowlist: a clear message, exit 2', async () => {
    const missing = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['nosuch.yaml'], missing, probeTargetsFromFile), 2);
    assert.equal(missing.err, 'allowlist probe: cannot read nosuch.yaml: no such file or folder\n');
    writeFileSync(join(dir, 'other.yaml'), 'hello: 1\n');
    const other = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['other.yaml'], other, probeTargetsFromFile), 2);
    assert.equal(other.err, 'allowlist probe: other.yaml is not an allowlist (it has no top-level `allowlist: 1`), so there is nothing to probe\n');
  });

  test('a file that is not there is said before any catalog is looked for: a broken catalog beside it adds no warning', async () => {
    // Near a missing file the catalog search is of its folder: for `/site.yaml`, the whole file system, whose warnings
    // buried the error. A folder of its own: the other tests' files are in `dir`, whose catalogs they load.
    const folder = mkdtempSync(join(tmpdir(), 'probe-missing-'));
    try {
      writeFileSync(join(folder, 'broken.catalog.yaml'), 'catalog: [\n');
      for (const [command, run] of [['probe', probeCommand], ['probe-script', probeScriptCommand]] as const) {
        const io = fakeIO({ cwd: folder });
        assert.equal(await run(['nosuch.allowlist.yaml', ...(command === 'probe-script' ? ['--shell', 'bash'] : [])], io, probeTargetsFromFile), 2);
        assert.equal(io.err, `allowlist ${command}: cannot read nosuch.allowlist.yaml: no such file or folder\n`);
      }
      // With the file there, the broken catalog is warned about: the search above was skipped, not lost.
      writeFileSync(join(folder, 'site.allowlist.yaml'), 'allowlist: 1\noutbound: []\n');
      const io = fakeIO({ cwd: folder });
      await probeCommand(['site.allowlist.yaml'], io, probeTargetsFromFile);
      assert.match(io.err, /broken\.catalog\.yaml left out/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('nothing to probe is not "all reachable": exit 1 and say so; probe-script writes no empty script', async () => {
    writeFileSync(join(dir, 'none.allowlist.yaml'), 'allowlist: 1\noutbound: []\n');
    const io = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['none.allowlist.yaml'], io, probeTargetsFromFile), 1);
    assert.match(io.out, /\nnothing probed: the file allows no endpoints\n$/);
    const json = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['none.allowlist.yaml', '--json'], json, probeTargetsFromFile), 1);
    assert.equal((JSON.parse(json.out) as { ok: boolean }).ok, false);

    writeFileSync(join(dir, 'udp.allowlist.yaml'), 'allowlist: 1\noutbound:\n  - name: dns\n    to: 192.0.2.53\n    ports: 53\n    protocol: udp\n');
    const udp = fakeIO({ cwd: dir });
    assert.equal(await probeCommand(['udp.allowlist.yaml'], udp, probeTargetsFromFile), 1);
    assert.match(udp.out, /\nnothing probed: none of the 1 endpoint\(s\) can be tested from here/);

    const script = fakeIO({ cwd: dir });
    assert.equal(await probeScriptCommand(['none.allowlist.yaml', '--shell', 'bash'], script, probeTargetsFromFile), 1);
    assert.equal(script.out, '');
    assert.match(script.err, /none\.allowlist\.yaml allows no endpoints, so there is nothing to probe; no script written/);
  });

  test('probe-script -o into a folder that does not exist: an I/O error, exit 2, clearly said', async () => {
    writeFileSync(join(dir, 'good.allowlist.yaml'), rule([]));
    const io = fakeIO({ cwd: dir });
    assert.equal(await probeScriptCommand(['good.allowlist.yaml', '--shell', 'bash', '-o', 'no/such/dir/x.sh'], io, probeTargetsFromFile), 2);
    assert.equal(io.err, 'allowlist probe-script: cannot write no/such/dir/x.sh: no such file or folder\n');
  });
});
