import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { psQuote } from '../../src/core/common';
import { probeScript, type ProbeTarget } from '../../src/core/probe';
import { closeAtOnce, closedPort, listen, makeCerts } from './fixtures';

const has = (tool: string) => spawnSync('which', [tool], { stdio: 'ignore' }).status === 0;

function target(rule: string, host: string, ports: number[], extra: Partial<ProbeTarget> = {}): ProbeTarget {
  return { rule, direction: 'outbound', host, ports: ports.map((p) => ({ from: p, to: p })), protocol: 'tcp', ...extra };
}

/** Runs a bash script; resolves with its exit code and output whatever the code (asynchronously: the
 * servers live in this process and must keep answering meanwhile). */
async function runBash(file: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)('bash', [file], { encoding: 'utf8', timeout: 60_000 });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '' };
  }
}

/** The first of `count` consecutive ports nothing listens on: bound together a moment ago, then closed. */
async function closedRange(count: number): Promise<number> {
  for (;;) {
    const first = await closedPort();
    const servers: net.Server[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const server = net.createServer();
        servers.push(server);
        await listen(server, first + i);
      }
      return first;
    } catch {
      // one of them is taken (or past 65535): another start
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  }
}

/** The summary after the table: its lines. */
function summaryLines(output: string): string[] {
  return output.split('\n\n').slice(1).join('\n').trim().split('\n');
}

/** Rows of the printed table (up to the blank line before the summary), split on the two-space column gaps, by rule name. */
function tableRows(output: string): Map<string, string[][]> {
  const [header, ...lines] = output.split('\n\n')[0].trimEnd().split('\n');
  assert.match(header, /^rule\s+host\s+address\s+port\s+state\s+ms\s+TLS issuer\s+advice$/);
  const rows = new Map<string, string[][]>();
  for (const line of lines) {
    const cells = line.split(/ {2,}/);
    rows.set(cells[0], [...(rows.get(cells[0]) ?? []), cells]);
  }
  return rows;
}

describe('bash probe script, run for real', () => {
  let openPort: number;
  let closed: number;
  let tlsPort: number;
  const servers: net.Server[] = [];
  let dir: string;

  before(async () => {
    const plain = net.createServer(closeAtOnce);
    servers.push(plain);
    openPort = await listen(plain);
    closed = await closedPort();
    const certs = makeCerts('localhost');
    const secure = tls.createServer({ cert: certs.cert, key: certs.key }, (s) => s.end());
    secure.on('tlsClientError', () => {});
    servers.push(secure);
    tlsPort = await listen(secure);
    dir = mkdtempSync(join(tmpdir(), 'probe-script-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  test('its table lists open, closed, listening and not-probed endpoints; it exits 1 naming the failed ones', { skip: !has('bash') || !has('timeout') }, async () => {
    const script = probeScript(
      [
        target('app', '127.0.0.1', [openPort]),
        target('down', '127.0.0.1', [closed]),
        target('web', '127.0.0.1', [tlsPort], { tlsPorts: [tlsPort] }),
        // Inbound: the rule's own `to` is probed, and the advice names the vendor's sources.
        { ...target('hook', '127.0.0.1', [openPort]), direction: 'inbound', sources: ['203.0.113.0/24'] },
        { ...target('hook-net', '10.20.0.0/24', [openPort]), direction: 'inbound', sources: ['34.202.14.153', '3.209.57.193'], sourcesOf: 'Helpdesk Buttons' },
        target('wild', '*.example.com', [443]),
        { ...target('syslog', '192.0.2.9', [514]), protocol: 'udp' },
      ],
      { shell: 'bash', timeoutMs: 2000 },
    );
    const file = join(dir, 'probe.sh');
    writeFileSync(file, script);
    const { code, stdout: output } = await runBash(file);
    const rows = tableRows(output);
    assert.deepEqual(rows.get('app')?.map((r) => [r[2], r[3], r[4]]), [['127.0.0.1', String(openPort), 'open']]);
    assert.deepEqual(rows.get('down')?.map((r) => [r[3], r[4]]), [[String(closed), 'closed']]);
    assert.deepEqual(rows.get('hook')?.[0].slice(1, 5), ['127.0.0.1', '127.0.0.1', String(openPort), 'listening']);
    assert.equal(rows.get('hook')?.[0].at(-1), 'the service listens; test it from one of the sources (sources 203.0.113.0/24)', 'no vendor: no vendor wording');
    assert.equal(rows.get('hook-net')?.[0].includes('not-probed'), true, 'a network `to` cannot be tested');
    assert.match(rows.get('hook-net')?.[0].at(-1) ?? '', /cannot be tested.*Helpdesk Buttons connects from 34\.202\.14\.153 3\.209\.57\.193/);
    assert.equal(rows.get('wild')?.[0].includes('not-probed'), true);
    assert.equal(rows.get('syslog')?.[0].includes('not-probed'), true);
    assert.equal(rows.get('web')?.[0][4], 'open');
    const failed = has('openssl') ? [`down 127.0.0.1:${closed}`, `web 127.0.0.1:${tlsPort}`] : [`down 127.0.0.1:${closed}`];
    if (has('openssl')) assert.equal(rows.get('web')?.[0][6], 'FortiGate Test CA (inspection?)');
    assert.equal(code, 1, 'a required endpoint is not reachable');
    const summary = summaryLines(output);
    assert.equal(summary[0], `${failed.length} required endpoint(s) not reachable: ${failed.join(', ')}`);
    assert.match(summary[1], new RegExp(`^  down 127\\.0\\.0\\.1:${closed}: closed: .*nothing accepts connections`));
    if (has('openssl')) assert.match(summary[2], new RegExp(`^  web 127\\.0\\.0\\.1:${tlsPort}: TLS inspection suspected: TLS is intercepted`));
  });

  test('its summary names a range of consecutive ports that failed alike once, as `allowlist probe` does', { skip: !has('bash') || !has('timeout') }, async () => {
    const first = await closedRange(3);
    const file = join(dir, 'range.sh');
    writeFileSync(file, probeScript([target('swept', '127.0.0.1', [first, first + 1, first + 2, openPort])], { shell: 'bash', timeoutMs: 2000 }));
    const { code, stdout } = await runBash(file);
    assert.equal(code, 1);
    const range = `${first}-${first + 2}`;
    assert.deepEqual(summaryLines(stdout), [
      `3 required endpoint(s) not reachable: swept 127.0.0.1:${range}`,
      `  swept 127.0.0.1:${range}: closed: 127.0.0.1:${range} answered but nothing accepts connections: check the port and the service`,
    ]);
  });

  test('exits 0 with the summary line when every required endpoint is reachable', { skip: !has('bash') || !has('timeout') }, async () => {
    const file = join(dir, 'ok.sh');
    writeFileSync(
      file,
      probeScript([target('app', '127.0.0.1', [openPort]), target('extra', '127.0.0.1', [closed], { required: false })], { shell: 'bash', timeoutMs: 2000 }),
    );
    const { code, stdout } = await runBash(file);
    assert.equal(code, 0);
    assert.deepEqual(tableRows(stdout).get('extra')?.map((r) => r[4]), ['closed'], 'shown, but optional');
    assert.match(summaryLines(stdout).join('\n'), /^all required endpoints reachable \(2 probes in \d+ ms\)$/);
  });

  test('exits 1 saying nothing was probed when no endpoint can be tested (UDP, wildcards), as `allowlist probe` does', { skip: !has('bash') || !has('timeout') }, async () => {
    const targets = [target('udp', '127.0.0.1', [openPort], { protocol: 'udp' }), target('wild', '*.vendor.example', [443])];
    const file = join(dir, 'none.sh');
    writeFileSync(file, probeScript(targets, { shell: 'bash', timeoutMs: 2000 }));
    const { code, stdout } = await runBash(file);
    assert.equal(code, 1);
    assert.deepEqual(summaryLines(stdout), ['nothing probed: none of the 2 endpoint(s) can be tested from here (see the advice column)']);
    // PowerShell says the same and exits 1 too (it cannot be run here: its text).
    assert.match(probeScript(targets, { shell: 'powershell' }), /\nWrite-Output 'nothing probed: none of the 2 endpoint\(s\) can be tested from here \(see the advice column\)'\nexit 1\n$/);
  });

  test('an unresolvable name is a dns-error row', { skip: !has('bash') || !has('getent') }, async () => {
    const file = join(dir, 'dns.sh');
    // .invalid never resolves (RFC 6761), so no query leaves a well-behaved resolver.
    writeFileSync(file, probeScript([target('nx', 'no-such-host.invalid', [openPort])], { shell: 'bash', timeoutMs: 1000 }));
    const { code, stdout } = await runBash(file);
    assert.equal(tableRows(stdout).get('nx')?.[0].includes('dns-error'), true);
    assert.equal(code, 1);
    assert.equal(summaryLines(stdout)[0], `1 required endpoint(s) not reachable: nx no-such-host.invalid:${openPort}`);
  });
});

describe('PowerShell probe script', () => {
  const targets = [
    target("o'brien", 'api.vendor.example', [{ from: 443, to: 443 }].map((r) => r.from)),
    target('range', '192.0.2.10', []),
    { ...target('hook', '127.0.0.1', [8443]), direction: 'inbound' as const, sources: ['203.0.113.0/24'] },
    target('wild', '*.vendor.example', [443]),
  ];
  targets[1].ports = [{ from: 9000, to: 9999 }];
  const script = probeScript(targets, { shell: 'powershell', timeoutMs: 1500 });

  test('sticks to what Windows PowerShell 5.1 has without modules', () => {
    assert.match(script, /New-Object System\.Net\.Sockets\.TcpClient/);
    assert.match(script, /BeginConnect\(.*\)/);
    assert.match(script, /AsyncWaitHandle\.WaitOne\(\$TimeoutMs\)/);
    assert.match(script, /\[System\.Net\.Dns\]::GetHostAddresses/);
    assert.match(script, /RunspaceFactory\]::CreateRunspacePool\(1, \$Parallel\)/);
    assert.doesNotMatch(script, /Import-Module|Test-NetConnection|Resolve-DnsName|ForEach-Object -Parallel|::new\(/);
    assert.match(script, /^\$TimeoutMs = 1500$/m);
  });

  test('lists each sampled endpoint once, with quotes escaped', () => {
    const endpoints = [...script.matchAll(/^ {2}@\{ Rule = '((?:[^']|'')*)'; Host = '([^']*)'; Shown = '[^']*'; Port = (\d+); Tls = \$(true|false); Inbound = \$(true|false)/gm)];
    const rangePorts = endpoints.filter((m) => m[1] === 'range').map((m) => Number(m[3]));
    assert.deepEqual(rangePorts, [9000, 9143, 9285, 9428, 9571, 9714, 9856, 9999], 'first, last and an even spread');
    const quoted = endpoints.find((m) => m[1] === "o''brien");
    assert.deepEqual(quoted?.slice(2, 6), ['api.vendor.example', '443', 'true', 'false']);
    assert.ok(endpoints.some((m) => m[1] === 'hook' && m[5] === 'true'));
    assert.match(script, /Rule = 'wild'; Host = '\*\.vendor\.example'; Address = ''; Port = ''; State = 'not-probed'/);
  });

  test('asks for TLS 1.2 by name, and TLS 1.3 only where the enum has it (5.1 on an older .NET runs too)', () => {
    assert.match(script, /\$Tls12 = \[System\.Security\.Authentication\.SslProtocols\]::Tls12/);
    assert.match(script, /\[System\.Enum\]::GetNames\(\[System\.Security\.Authentication\.SslProtocols\]\) -contains 'Tls13'/);
    assert.match(script, /\$ssl\.AuthenticateAsClient\(\$ServerName, \$null, \$Protocols, \$false\)/);
    assert.doesNotMatch(script, /AuthenticateAsClient\(\$ServerName\)/, 'the one-argument call uses the .NET defaults (SSL 3/TLS 1.0 on 5.1)');
    assert.doesNotMatch(script, /::Tls13/, 'no static reference to a member 5.1 on .NET 4.7 lacks');
    assert.match(script, /Invoke-Tls \$again\.Client \$ServerName \$Tls12/, 'falls back to TLS 1.2 alone where the OS refuses 1.3');
  });

  test('typographic single quotes are escaped too: PowerShell ends a string at them', () => {
    assert.equal(psQuote("it's"), "'it''s'");
    assert.equal(psQuote('a\u2018b\u2019c\u201Ad\u201Be'), "'a\u2018\u2018b\u2019\u2019c\u201A\u201Ad\u201B\u201Be'");
    const quoted = probeScript([target('o\u2019brien', 'x\u2018y.example', [443])], { shell: 'powershell' });
    assert.match(quoted, /Rule = 'o\u2019\u2019brien'; Host = 'x\u2018\u2018y\.example'/);
  });

  test('inbound endpoints are the rule\'s own `to`; a network `to` is listed as not testable, with the sources', () => {
    const inbound = probeScript(
      [
        { ...target('ticket-api', '10.20.0.15', [443]), direction: 'inbound', sources: ['34.202.14.153', '3.209.57.193'], sourcesOf: 'Helpdesk Buttons' },
        { ...target('lan', '10.20.0.0/24', [443]), direction: 'inbound', sources: ['198.51.100.1'] },
      ],
      { shell: 'powershell' },
    );
    assert.match(inbound, /@\{ Rule = 'ticket-api'; Host = '10\.20\.0\.15'; Shown = '10\.20\.0\.15'; Port = 443; Tls = \$false; Inbound = \$true; Required = \$true; Note = 'Helpdesk Buttons connects from 34\.202\.14\.153 3\.209\.57\.193' \}/);
    assert.doesNotMatch(inbound, /Host = '127\.0\.0\.1'/);
    assert.match(inbound, /Rule = 'lan'; Host = '10\.20\.0\.0\/24'; Address = ''; Port = ''; State = 'not-probed'; .*cannot be tested.*198\.51\.100\.1/);
    assert.doesNotMatch(inbound.match(/Rule = 'lan'.*/)![0], /vendor/i, 'a rule without a vendor is not told about one');
    const bash = probeScript([{ ...target('ticket-api', '10.20.0.15', [443]), direction: 'inbound' }], { shell: 'bash' });
    assert.match(bash, /run b000000 'ticket-api' '10\.20\.0\.15' '10\.20\.0\.15' 443 0 1 /);
  });

  test('prints the summary like `allowlist probe` and exits 1 when a required endpoint fails', () => {
    const optional = probeScript([target('extra', 'x.example', [443], { required: false })], { shell: 'powershell' });
    assert.match(optional, /Rule = 'extra'; .*Required = \$false/);
    assert.match(script, /Required = \$true/);
    assert.match(script, /if \(\$job\.Ep\.Required -and -not @\(\$rows \| Where-Object \{ \$_\.Ok \}\)\.Count\) \{ \$failed \+= \$rows\[0\] \}/);
    assert.match(script, /"\$\(\$failed\.Count\) required endpoint\(s\) not reachable: \$\(\(\$lines \| ForEach-Object \{ \$_\.Label \}\) -join ', '\)"\n.*\n\s+exit 1\n/);
    // Consecutive ports that failed alike are one range: the next port of the same rule and host, same reason and advice but for the port.
    assert.match(script, /\$template = \$template\.Replace\("\$\(\$f\.Address\):\$\(\$f\.Port\)", "\$\(\$f\.Address\):\$Mark"\)/);
    assert.match(script, /\$last\.Template -ceq \$template -and \[int\]\$f\.Port -eq \$last\.To \+ 1\) \{\n\s+\$last\.To = \[int\]\$f\.Port/);
    assert.match(script, /Label = "\$\(\$g\.Rule\) \$\(\$g\.Host\):\$ports"/);
    assert.match(script, /"all required endpoints reachable \(\$\(@\(\$NotProbed\)\.Count \+ \$results\.Count\) probes in \$\(\$Started\.ElapsedMilliseconds\) ms\)"/);
    assert.match(script, /\$ok = \(\$reason -eq 'open'\) -or \(\$reason -eq 'listening'\)/);
    assert.match(script, /EndsWith\('\(inspection\?\)'\)\) \{ [^}]*\$reason = 'TLS inspection suspected'/, 'TLS inspection fails the endpoint, as in the CLI');
  });

  test('runs under pwsh where it is installed', { skip: !has('pwsh') && 'pwsh is not installed' }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-ps-'));
    try {
      const file = join(dir, 'probe.ps1');
      writeFileSync(file, probeScript([target('wild', '*.vendor.example', [443])], { shell: 'powershell' }));
      const output = execFileSync('pwsh', ['-NoProfile', '-File', file], { encoding: 'utf8', timeout: 60_000 });
      assert.match(output, /wild\s+\*\.vendor\.example\s+not-probed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Whether this machine lets a test make a network namespace of its own (root, unshare). */
const ownNetwork = has('unshare') && has('ip') && spawnSync('unshare', ['-n', 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' }).status === 0;

test('bash probe script: a sweep writes more result files than fit in one command line (the table and summary still come)', { skip: !has('bash') || !has('timeout') ? 'no bash or timeout' : !ownNetwork ? 'cannot make a network namespace (unshare -n: needs root)' : false }, () => {
  // 1,000 closed ports of a namespace of its own (nothing listens there), with a temporary folder of a long name and a
  // 256 kB stack (the limit on a command's arguments is a quarter of it, and at least 128 kB): 1,000 names of about
  // 230 characters are past it, as 65,535 ports of a full sweep are under any temporary folder and stack.
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-many-'));
  try {
    const long = join(dir, 'x'.repeat(200));
    mkdirSync(long);
    const file = join(dir, 'sweep.sh');
    const ports = Array.from({ length: 1000 }, (_, i) => 20_000 + i);
    writeFileSync(file, probeScript([target('sweep', '127.0.0.1', ports)], { shell: 'bash', timeoutMs: 2000 }));
    const run = spawnSync('unshare', ['-n', 'bash', '-c', `ip link set lo up && ulimit -s 256 && exec bash ${JSON.stringify(file)}`], { encoding: 'utf8', env: { ...process.env, TMPDIR: long }, timeout: 120_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /Argument list too long/);
    assert.equal(tableRows(run.stdout).get('sweep')?.length, 1000);
    assert.deepEqual(summaryLines(run.stdout)[0], '1000 required endpoint(s) not reachable: sweep 127.0.0.1:20000-20999');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
