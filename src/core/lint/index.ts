/** The lint pipeline: the engine runs the rules (rules/) over a parsed model, applies ignore comments and the
 * user's config, and formats reports (format/); plus finding what a path holds to lint. */
export * from './index.browser';
export { findConfigFile, loadConfigFile, loadConfigFor } from './config-file';
export { type DiscoveredFile, discoverFiles, type Discovery } from './discover';
export {
  buildSarif,
  escapeData,
  escapeProperty,
  type FileReport,
  firstSentence,
  type Format,
  formatReport,
  FORMATS,
  isFormat,
  summarize,
} from './format';
export { applyFix, findingsOf, lintYaml, rangeText } from './testing';
