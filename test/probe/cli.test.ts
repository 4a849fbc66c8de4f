import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CliIO } from '../../src/cli/io';
import { probeCommand } from '../../src/cli/probe';
import { probeScriptCommand } from '../../src/cli/probe-script';
import type { ProbeTarget } from '../../src/core/probe/types';
import { closeAtOnce, closedPort, listen } from './fixtures';

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
  let openPort: number;
  let closed: number;
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
  });
  after(() => new Promise((r) => server.close(r)));

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

  test('shows progress on stderr when it is a terminal', async () => {
    const io = fakeIO({ stderrIsTTY: true });
    await probeCommand(['broken.yaml'], io, fromFile);
    assert.match(io.err, /probing 1\/2.*probing 2\/2/s);
  });

  test('usage errors exit 2', async () => {
    for (const argv of [[], ['a.yaml', 'b.yaml'], ['ok.yaml', '--timeout', 'soon'], ['ok.yaml', '--concurrency', '0'], ['ok.yaml', '--bogus']]) {
      const io = fakeIO();
      assert.equal(await probeCommand(argv, io, fromFile), 2, argv.join(' '));
      assert.match(io.err, /usage: allowlist probe FILE/);
    }
    const io = fakeIO();
    assert.equal(await probeCommand(['missing.yaml'], io, fromFile), 2);
    assert.match(io.err, /cannot read missing\.yaml: no such file/);
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
