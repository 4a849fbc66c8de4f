import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DnsAnswer } from '../../src/core/probe';

/** Runs `script` with network and mount namespaces of its own: only a loopback interface, where
 * nothing answers DNS, and our own /etc/hosts and /etc/resolv.conf bind-mounted over the real ones
 * (private mounts: the machine's files are not touched). */
function inNamespace(hosts: string, resolvConf: string, script: string, timeoutMs = 60_000): ReturnType<typeof spawnSync> {
  const dir = mkdtempSync(join(tmpdir(), 'allowlist-resolver-'));
  try {
    writeFileSync(join(dir, 'hosts'), hosts);
    writeFileSync(join(dir, 'resolv.conf'), resolvConf);
    const setup = `ip link set lo up && mount --bind "${join(dir, 'hosts')}" /etc/hosts && mount --bind "${join(dir, 'resolv.conf')}" /etc/resolv.conf`;
    return spawnSync('unshare', ['-n', '-m', 'sh', '-c', `${setup} && exec "${process.execPath}" --import tsx -e '${script}'`], {
      encoding: 'utf8',
      timeout: timeoutMs,
      cwd: join(__dirname, '..', '..'),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('without a reachable DNS server, names in /etc/hosts resolve and the failure names the server', (t) => {
  const trial = spawnSync('unshare', ['-n', '-m', 'sh', '-c', 'ip link set lo up && mount --bind /etc/hosts /etc/hosts'], { stdio: 'ignore' });
  if (trial.error || trial.status !== 0) return t.skip('cannot create network and mount namespaces here (needs unshare, ip and root or CAP_SYS_ADMIN)');
  const script = `const { resolveHost } = require("./src/core/probe/dns");
    Promise.all(["in-hosts.test", "localhost", "missing.test"].map((host) => resolveHost(host, { timeoutMs: 2000 })))
      .then((answers) => console.log(JSON.stringify(answers)));`;
  const child = inNamespace('127.0.0.1 localhost\n192.0.2.7 in-hosts.test\n', 'nameserver 127.0.0.1\n', script);
  assert.equal(child.status, 0, String(child.stderr));
  const [inHosts, localhost, missing] = JSON.parse(String(child.stdout)) as DnsAnswer[];
  assert.deepEqual(inHosts.addresses, ['192.0.2.7'], inHosts.detail);
  assert.deepEqual(localhost.addresses, ['127.0.0.1'], localhost.detail);
  assert.deepEqual([missing.failure, missing.addresses], ['unreachable', []]);
  assert.match(missing.detail, /^the DNS server 127\.0\.0\.1:53 cannot be reached/);
});

test('with a DNS server that never answers, a name in /etc/hosts still resolves, and the process exits once done', (t) => {
  const trial = spawnSync('unshare', ['-n', '-m', 'sh', '-c', 'ip link set lo up && mount --bind /etc/hosts /etc/hosts'], { stdio: 'ignore' });
  if (trial.error || trial.status !== 0) return t.skip('cannot create network and mount namespaces here (needs unshare, ip and root or CAP_SYS_ADMIN)');
  // The silent server reads every query and answers none; the system resolver would wait 60 s on it. A lookup the
  // probe gives up on is not waited for at exit only if none was started: getaddrinfo cannot be cancelled.
  const script = `const silent = require("node:dgram").createSocket("udp4");
    silent.on("message", () => {});
    silent.bind(53, "127.0.0.1", () => {
      silent.unref();
      const { resolveHost } = require("./src/core/probe/dns");
      Promise.all(["in-hosts.test", "silent.test"].map((host) => resolveHost(host, { timeoutMs: 600 })))
        .then((answers) => console.log(JSON.stringify(answers)));
    });`;
  // Killed after 20 s: a process that waits on the abandoned lookup at exit is still there then.
  const child = inNamespace('127.0.0.1 localhost\n192.0.2.8 in-hosts.test # a comment\n', 'nameserver 127.0.0.1\noptions timeout:60 attempts:1\n', script, 20_000);
  assert.equal(child.error, undefined, 'the process did not exit on its own: it waits for a system lookup it gave up on');
  assert.equal(child.status, 0, String(child.stderr));
  const [inHosts, silentName] = JSON.parse(String(child.stdout)) as DnsAnswer[];
  assert.deepEqual(inHosts.addresses, ['192.0.2.8'], inHosts.detail);
  assert.match(inHosts.detail, /hosts file/);
  assert.deepEqual([silentName.failure, silentName.addresses], ['timeout', []], silentName.detail);
});
