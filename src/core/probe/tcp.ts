import net from 'node:net';
import type { AdaptiveTimeout } from './timing';

/** Every socket the engine opens, so that cancelling destroys them all at once. */
export class SocketTracker {
  private readonly sockets = new Set<net.Socket>();

  add<T extends net.Socket>(socket: T): T {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}

export type ConnectOutcome =
  | { kind: 'connected'; ms: number; socket: net.Socket }
  | { kind: 'refused' | 'unreachable' | 'timeout' | 'reset' | 'error'; ms: number; code: string };

/** The code of a `refused` outcome whose connect reached its own port (no reset came: see `connectOnce`). */
export const SELF_CONNECT = 'ESELFCONNECT';

const unreachableCodes = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN']);

/** One TCP connect attempt, classified like nmap's connect scan. The caller owns the socket of a
 * `connected` outcome. `deadline` is either a fixed time-out or an adaptive one. */
export function connectOnce(
  address: string,
  port: number,
  deadline: AdaptiveTimeout | number,
  tracker: SocketTracker,
): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = tracker.add(net.connect({ host: address, port }));
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const onTimeout = () => {
      socket.destroy();
      resolve({ kind: 'timeout', ms: elapsed(), code: 'ETIMEDOUT' });
    };
    const stopWaiting =
      typeof deadline === 'number' ? clearTimer(setTimeout(onTimeout, deadline)) : deadline.wait(started, onTimeout);
    socket.once('connect', () => {
      stopWaiting();
      // A port of this machine's own address in the ephemeral range can be connected to by the socket itself (TCP's
      // simultaneous open, when the kernel picks that very port as the source port): nothing listens there, since a
      // listener would hold the port, so it is a refused connection, not an open port.
      if (socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress) {
        socket.destroy();
        resolve({ kind: 'refused', ms: elapsed(), code: SELF_CONNECT });
        return;
      }
      socket.removeAllListeners('error');
      socket.on('error', () => {}); // later errors belong to whoever uses the socket next
      resolve({ kind: 'connected', ms: elapsed(), socket });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      stopWaiting();
      socket.destroy();
      const code = error.code ?? 'EUNKNOWN';
      // A reset (not a refusal: that is ECONNREFUSED) comes only on a connection the host accepted: one reset at once
      // can arrive before the connect is seen, or after, by the timing of the two.
      const kind =
        code === 'ECONNREFUSED'
          ? 'refused'
          : unreachableCodes.has(code)
            ? 'unreachable'
            : code === 'ETIMEDOUT'
              ? 'timeout'
              : code === 'ECONNRESET'
                ? 'reset'
                : 'error';
      resolve({ kind, ms: elapsed(), code });
    });
    // A cancelled probe's socket is destroyed without an error; settle so nothing waits forever.
    socket.once('close', () => {
      stopWaiting();
      resolve({ kind: 'error', ms: elapsed(), code: 'ECANCELLED' });
    });
  });
}

function clearTimer(timer: NodeJS.Timeout): () => void {
  return () => clearTimeout(timer);
}
