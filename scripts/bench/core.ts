// The bench's view of the engine, bundled by esbuild like the shipped bundles (scripts/bench.mjs).
export { Linter, lintText } from '../../src/core/lint';
export { generateAllowlist, generateIgnoreComments, manySourcesAllowlist, oneLineFlowAllowlist } from '../../test/generate';
export { probe } from '../../src/core/probe';
export { parseDocument } from 'yaml';
