/** Runs inside a namespace of the proof: TCP servers on HOST for each of PORTS that accept and close at once;
 * prints "ready" once all listen. */
import net from 'node:net';

const [host, ...ports] = process.argv.slice(2);
Promise.all(
  ports.map(
    (port) =>
      new Promise<void>((resolve, reject) => {
        const server = net.createServer((socket) => socket.end());
        server.once('error', reject);
        server.listen(Number(port), host, () => resolve());
      }),
  ),
).then(
  () => process.stdout.write('ready\n'),
  (error) => {
    process.stderr.write(String(error));
    process.exit(1);
  },
);
