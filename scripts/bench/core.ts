// The bench's view of the engine, bundled by esbuild like the shipped bundles (scripts/bench.mjs).
export { Linter, lintText } from '../../src/core/lint';
export { generateAllowlist, generateIgnoreComments, manySourcesAllowlist, oneLineFlowAllowlist } from '../../test/generate';
export { probe } from '../../src/core/probe';
export { parseDocument } from 'yaml';
// The language server in the bench's process, over in-memory streams (scripts/bench/server-heap.mjs).
export { startServer } from '../../src/server/language-server';
export { nodeHost } from '../../src/server/server';
export { createConnection as createServerConnection } from 'vscode-languageserver/node';
export { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
