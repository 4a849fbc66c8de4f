/** Small pieces every part of the engine shares: the vocabulary of positions, findings and fixes, text and
 * Markdown made safe to show, the results views' web page, did-you-mean, the Public Suffix List and where the package's files are. */
export * from './index.browser';
export { nodeChildProcess, nodeCrypto, nodeDns, nodeTls, nodeWorkerThreads } from './node-builtins';
export { packagePath, packageRoot } from './package-root';
