// The bench's view of the engine, bundled by esbuild like the shipped bundles (scripts/bench.mjs).
export { Linter, lintText } from '../../src/core/lint';
import { generateAllowlist } from '../../test/generate';
export { generateAllowlist, generateIgnoreComments, manySourcesAllowlist, oneLineFlowAllowlist } from '../../test/generate';
export { probe } from '../../src/core/probe';
export { parseDocument } from 'yaml';
// The language server in the bench's process, over in-memory streams (scripts/bench/server-heap.mjs).
export { startServer } from '../../src/server/language-server';
export { nodeHost } from '../../src/server/server';
export { createConnection as createServerConnection } from 'vscode-languageserver/node';
export { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

/** The options every lint of the bench runs with (its processes alike: bench.mjs, keystroke.cjs, worst-case.cjs). */
export const BENCH_OPTIONS = { fileName: 'bench.allowlist.yaml', today: '2026-06-01' };

/** A 200-rule allowlist every timed lint is preceded by a few lints of, so that the engine's code is not timed cold. */
export function warmUpText(): string {
  return generateAllowlist({ rules: 200, seed: 99 });
}
