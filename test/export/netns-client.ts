/** Runs inside one of the proof's network namespaces (see nftables-namespaces.test.ts): probes the allowed
 * endpoints with the project's probe engine, DNS through the router, and tries the endpoints that must stay
 * blocked with plain sockets. Prints one JSON object for the parent test to check. */
import { promises as dns } from 'node:dns';
import net from 'node:net';
import { probe, type ProbeTarget } from '../../src/core/probe';

interface Connect {
  host: string;
  port: number;
  /** Resolve `host` through this DNS server first (a name), and connect to the answer. */
  resolveVia?: string;
  localAddress?: string;
}

interface Plan {
  probe: ProbeTarget[];
  dns?: string;
  connect: Connect[];
  timeoutMs: number;
}

/** `open`, `refused`, `timeout` (a dropped SYN), or the error code. */
function connectState(host: string, port: number, timeoutMs: number, localAddress?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, localAddress });
    const done = (state: string) => {
      socket.destroy();
      resolve(state);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : (error.code ?? 'error')));
  });
}

async function main() {
  const plan = JSON.parse(process.env.NETNS_PLAN!) as Plan;
  const run = plan.probe.length > 0 ? await probe(plan.probe, { dns: plan.dns ? { servers: [plan.dns] } : undefined, proxy: null, sweep: true, timeoutMs: plan.timeoutMs }) : undefined;
  const connects = await Promise.all(
    plan.connect.map(async (attempt) => {
      let address = attempt.host;
      if (attempt.resolveVia) {
        const resolver = new dns.Resolver({ timeout: plan.timeoutMs, tries: 2 });
        resolver.setServers([attempt.resolveVia]);
        address = (await resolver.resolve4(attempt.host))[0];
      }
      return { ...attempt, address, state: await connectState(address, attempt.port, plan.timeoutMs, attempt.localAddress) };
    }),
  );
  const probed = run?.results.map(({ host, address, port, state, detail }) => ({ host, address, port, state, detail })) ?? [];
  process.stdout.write(JSON.stringify({ probe: probed, probeMs: run?.ms, connect: connects }));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
