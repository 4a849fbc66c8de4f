/** Node's built-in modules that most commands never use, required on first use: loaded at start-up, as a bundle's
 * imports are, they cost every process several milliseconds (node:crypto about 7 ms, node:tls 4 ms, node:child_process
 * 3 ms), which is much of a short command's time (`allowlist lint` of one site in a pre-commit hook, a probe). */
const once = <T>(load: () => T): (() => T) => {
  let loaded: T | undefined;
  return () => (loaded ??= load());
};

export const nodeCrypto = once(() => require('node:crypto') as typeof import('node:crypto'));
export const nodeChildProcess = once(() => require('node:child_process') as typeof import('node:child_process'));
export const nodeTls = once(() => require('node:tls') as typeof import('node:tls'));
export const nodeDns = once(() => require('node:dns') as typeof import('node:dns'));
export const nodeWorkerThreads = once(() => require('node:worker_threads') as typeof import('node:worker_threads'));
