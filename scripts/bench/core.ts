// The bench's view of the engine, bundled by esbuild like the shipped bundles (scripts/bench.mjs).
export { Linter, lintText } from '../../src/core/engine';
export { generateAllowlist, generateIgnoreComments, manySourcesAllowlist, oneLineFlowAllowlist } from '../../src/core/generate';
export { probe } from '../../src/core/probe';
export { parseDocument } from 'yaml';
