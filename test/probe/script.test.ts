import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { probeScript } from '../../src/core/probe/script';
import type { ProbeTarget } from '../../src/core/probe/types';
import { closeAtOnce, closedPort, listen, makeCerts } from './fixtures';

const has = (tool: string) => spawnSync('which', [tool], { stdio: 'ignore' }).status === 0;

function target(rule: string, host: string, ports: number[], extra: Partial<ProbeTarget> = {}): ProbeTarget {
  return { rule, direction: 'outbound', host, ports: ports.map((p) => ({ from: p, to: p })), protocol: 'tcp', ...extra };
}

/** Rows of the printed table, split on the two-space column gaps, by rule name. */
function tableRows(output: string): Map<string, string[][]> {
  const [header, ...lines] = output.trimEnd().split('\n');
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

  test('its table lists open, closed, listening and not-probed endpoints', { skip: !has('bash') || !has('timeout') }, async () => {
    const script = probeScript(
      [
        target('app', '127.0.0.1', [openPort]),
        target('down', '127.0.0.1', [closed]),
        target('web', '127.0.0.1', [tlsPort], { tlsPorts: [tlsPort] }),
        { ...target('hook', '198.51.100.7', [openPort]), direction: 'inbound', sources: ['203.0.113.0/24'] },
        target('wild', '*.example.com', [443]),
        { ...target('syslog', '192.0.2.9', [514]), protocol: 'udp' },
      ],
      { shell: 'bash', timeoutMs: 2000 },
    );
    const file = join(dir, 'probe.sh');
    writeFileSync(file, script);
    // Asynchronously: the TLS server lives in this process and must keep answering meanwhile.
    const { stdout: output } = await promisify(execFile)('bash', [file], { encoding: 'utf8', timeout: 60_000 });
    const rows = tableRows(output);
    assert.deepEqual(rows.get('app')?.map((r) => [r[2], r[3], r[4]]), [['127.0.0.1', String(openPort), 'open']]);
    assert.deepEqual(rows.get('down')?.map((r) => [r[3], r[4]]), [[String(closed), 'closed']]);
    assert.deepEqual(rows.get('hook')?.[0].slice(1, 5), ['198.51.100.7', '127.0.0.1', String(openPort), 'listening']);
    assert.match(rows.get('hook')?.[0].at(-1) ?? '', /203\.0\.113\.0\/24/);
    assert.equal(rows.get('wild')?.[0].includes('not-probed'), true);
    assert.equal(rows.get('syslog')?.[0].includes('not-probed'), true);
    assert.equal(rows.get('web')?.[0][4], 'open');
    if (has('openssl')) assert.equal(rows.get('web')?.[0][6], 'FortiGate Test CA (inspection?)');
  });

  test('an unresolvable name is a dns-error row', { skip: !has('bash') || !has('getent') }, () => {
    const file = join(dir, 'dns.sh');
    // .invalid never resolves (RFC 6761), so no query leaves a well-behaved resolver.
    writeFileSync(file, probeScript([target('nx', 'no-such-host.invalid', [openPort])], { shell: 'bash', timeoutMs: 1000 }));
    const rows = tableRows(execFileSync('bash', [file], { encoding: 'utf8', timeout: 60_000 }));
    assert.equal(rows.get('nx')?.[0].includes('dns-error'), true);
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
