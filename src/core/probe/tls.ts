import { nodeTls } from '../common';
import type net from 'node:net';
import type tls from 'node:tls';
import type { TlsInfo } from './types';
import type { SocketTracker } from './tcp';

/** Issuer words of products that re-sign TLS traffic (TLS inspection, "SSL decryption"). */
const inspectionProducts = [
  'fortinet',
  'fortigate',
  'palo alto',
  'paloalto',
  'pan-os',
  'sophos',
  'zscaler',
  'cisco umbrella',
  'umbrella',
  'barracuda',
  'sonicwall',
  'watchguard',
  'check point',
  'checkpoint',
  'netskope',
  'forcepoint',
  'websense',
  'bluecoat',
  'blue coat',
  'symantec web',
  'mcafee web',
  'skyhigh',
  'trend micro',
  'kaspersky',
  'eset ssl',
  'avast',
  'untangle',
  'pfsense',
  'opnsense',
  'squid',
  'iboss',
  'menlo',
  'cloudflare gateway',
  'lightspeed',
  'securly',
  'contentkeeper',
];

/** Verification errors that mean "the chain ends in a CA we do not trust" (as opposed to, say, expiry). */
const untrustedIssuerErrors = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** Names the inspection product found in the certificate chain's issuers, if any. */
export function inspectionProduct(issuers: string[]): string | undefined {
  const text = issuers.join(' | ').toLowerCase();
  return inspectionProducts.find((word) => text.includes(word));
}

/** Runs a TLS handshake over an already connected socket and reports the server's certificate.
 * Never rejects: a failed handshake is described in `error`. Destroys the socket when done. */
export function tlsHandshake(
  socket: net.Socket,
  opts: { servername?: string; ca?: string[]; timeoutMs: number; tracker: SocketTracker },
): Promise<TlsInfo> {
  return new Promise((resolve) => {
    const secure = opts.tracker.add(
      nodeTls().connect({
        socket,
        servername: opts.servername,
        ca: opts.ca?.length ? [...nodeTls().rootCertificates, ...opts.ca] : undefined,
        rejectUnauthorized: false,
        // The host name is checked separately so that `authorized` speaks of the chain alone.
        checkServerIdentity: () => undefined,
      }),
    );
    const finish = (info: TlsInfo) => {
      clearTimeout(timer);
      secure.destroy();
      socket.destroy();
      resolve(info);
    };
    const failed = (error: string, sniFilteringSuspected: boolean): TlsInfo => ({
      subject: '',
      issuer: '',
      validTo: '',
      publicRoot: false,
      inspectionSuspected: false,
      sniFilteringSuspected,
      error,
    });
    const timer = setTimeout(
      () => finish(failed(`no TLS handshake within ${opts.timeoutMs} ms`, false)),
      opts.timeoutMs,
    );
    secure.once('secureConnect', () => finish(describe(secure, opts.servername)));
    secure.once('error', (error: NodeJS.ErrnoException) => {
      // The TCP connect succeeded, so a reset during the handshake is what SNI filters do.
      const resetEarly = ['ECONNRESET', 'EPIPE'].includes(error.code ?? '');
      finish(failed(`TLS handshake failed: ${error.code ?? error.message}`, resetEarly));
    });
    secure.once('close', () => finish(failed('TLS handshake cancelled', false)));
  });
}

function describe(secure: tls.TLSSocket, servername: string | undefined): TlsInfo {
  const cert = secure.getPeerCertificate(true);
  const issuers: string[] = [];
  for (let c: tls.DetailedPeerCertificate | undefined = cert; c && issuers.length < 10; c = c.issuerCertificate) {
    issuers.push(name(c.issuer));
    if (c.issuerCertificate === c) break;
  }
  const publicRoot = secure.authorized;
  const verifyError = secure.authorizationError ? String(secure.authorizationError) : undefined;
  const product = inspectionProduct(issuers);
  const inspectionSuspected = !publicRoot && (product !== undefined || untrustedIssuerErrors.has(verifyError ?? ''));
  const hostError = servername ? nodeTls().checkServerIdentity(servername, cert) : undefined;
  const errors = [verifyError, hostError?.message].filter(Boolean);
  return {
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    validTo: cert.valid_to ? new Date(cert.valid_to).toISOString() : '',
    publicRoot,
    inspectionSuspected,
    sniFilteringSuspected: false,
    ...(errors.length ? { error: errors.join('; ') } : {}),
  };
}

/** "CN, O" of a certificate name, the parts people recognise. */
function name(n: tls.PeerCertificate['subject'] | undefined): string {
  if (!n) return '';
  const parts = [n.CN, n.O].flat().filter((p): p is string => typeof p === 'string' && p !== '');
  return [...new Set(parts)].join(', ');
}
