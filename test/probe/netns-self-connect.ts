/** Runs inside a fresh network namespace whose only ephemeral port is SELF_PORT (see sweep.test.ts): a connect to
 * 127.0.0.1:SELF_PORT, where nothing listens, gets that port as its source and connects to itself. Prints the
 * engine's verdict as JSON. */
import { probe } from '../../src/core/probe';

async function main() {
  const port = Number(process.env.SELF_PORT);
  const target = { rule: 'self', direction: 'outbound' as const, host: '127.0.0.1', ports: [{ from: port, to: port }], protocol: 'tcp' as const };
  const run = await probe([target], { proxy: null, timeoutMs: 3000 });
  process.stdout.write(JSON.stringify(run.results.map((result) => ({ port: result.port, state: result.state, detail: result.detail }))));
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
