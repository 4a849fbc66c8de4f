/** Servers the probe tests start on 127.0.0.1: plain listeners, a DNS server, TLS with a test CA,
 * an HTTP CONNECT proxy. Each returns what the test needs and a close function. */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function listen(server: net.Server, port = 0, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/** Connection handler of a plain "open port": closes each connection, ignoring resets by the prober. */
export function closeAtOnce(socket: net.Socket): void {
  socket.on('error', () => {});
  socket.end();
}

/** A TCP server that accepts and stays silent; `sockets` lets the test close what it accepted. */
export async function silentServer(): Promise<{ server: net.Server; port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.resume(); // read (and drop) so that the client's close is noticed
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    server,
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound by us a moment ago, so no other service owns it. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type DnsBehaviour = { a?: string[]; aaaa?: string[] } | 'nxdomain' | 'servfail' | 'refused' | 'silent';

const RCODES: Record<string, number> = { nxdomain: 3, servfail: 2, refused: 5 };

/** A minimal DNS server over UDP: answers A/AAAA from `zone`, NXDOMAIN for unknown names. `queries` lists the names
 * asked, with when (performance.now()). */
export async function dnsServer(zone: Record<string, DnsBehaviour>): Promise<{ server: string; queries: { name: string; at: number }[]; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  const queries: { name: string; at: number }[] = [];
  socket.on('message', (msg, rinfo) => {
    const at = performance.now();
    let offset = 12;
    const labels: string[] = [];
    while (msg[offset] !== 0) {
      labels.push(msg.subarray(offset + 1, offset + 1 + msg[offset]).toString('latin1'));
      offset += msg[offset] + 1;
    }
    const questionEnd = offset + 5;
    const qtype = msg.readUInt16BE(offset + 1);
    queries.push({ name: labels.join('.').toLowerCase(), at });
    const behaviour = zone[labels.join('.').toLowerCase()] ?? 'nxdomain';
    if (behaviour === 'silent') return;
    const rcode = typeof behaviour === 'string' ? (RCODES[behaviour] ?? 0) : 0;
    const records = typeof behaviour === 'object' ? (qtype === 1 ? behaviour.a : qtype === 28 ? behaviour.aaaa : []) ?? [] : [];
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(records.length, 6);
    const answers = records.map((address) => {
      const rdata = qtype === 1 ? Buffer.from(address.split('.').map(Number)) : ipv6Bytes(address);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
      rr.writeUInt16BE(qtype, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      return Buffer.concat([rr, rdata]);
    });
    socket.send(Buffer.concat([header, msg.subarray(12, questionEnd), ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A UDP port on 127.0.0.1 nothing listens on (bound a moment ago): a DNS query there meets ICMP port unreachable. */
export async function closedUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
}

/** A CA named like a firewall's inspection CA and a leaf for `hostname` (and 127.0.0.1) it signed. */
export function makeCerts(hostname: string, caName = 'FortiGate Test CA'): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'probe-certs-'));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=${caName}/O=${caName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    run('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${hostname}`);
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=DNS:${hostname},IP:127.0.0.1\n`);
    run('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem',
      '-days', '2', '-extfile', 'ext.cnf');
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return { ca: read('ca.pem'), cert: read('leaf.pem'), key: read('leaf.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An HTTP CONNECT proxy: tunnels to 127.0.0.1 only, answers 502 when the target refuses, 403 for
 * hosts in `deny`. `requests` lists each CONNECT authority it received. */
export async function connectProxy(deny: string[] = []): Promise<{ port: number; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      client.off('data', onData);
      const m = /^CONNECT (\S+):(\d+) HTTP/.exec(head);
      const [host, port] = m ? [m[1], Number(m[2])] : ['', 0];
      requests.push(`${host}:${port}`);
      if (!m || deny.includes(host)) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      const upstream = net.connect({ host: '127.0.0.1', port });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).pipe(upstream);
      });
      upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    };
    client.on('data', onData);
  });
  const port = await listen(server);
  return {
    port,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function countSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** The socket count once destroyed handles have finished closing (they stay listed for a tick or two). */
export async function settledSocketCount(): Promise<number> {
  let last = countSockets();
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 10));
    const now = countSockets();
    if (now === last) return now;
    last = now;
  }
  return last;
}
