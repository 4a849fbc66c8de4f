/** The lint pipeline: the engine runs the rules (rules/) over a parsed model, applies ignore comments and the
 * user's config, and formats reports (format/); plus finding what a path holds to lint. */
export { CONFIG_FILE_NAMES, ConfigError, emptyConfig, type LintConfig, parseConfig, withSettingRules } from './config';
export { findConfigFile, loadConfigFile, loadConfigFor } from './config-file';
export { type DiscoveredFile, discoverFiles, type Discovery } from './discover';
export { hasAllowlistKey, isCatalogFileName, lintedKind, SNIFF_BYTES } from './file-kind';
export { addExclusion, appendRuleItems, lineStartOf, yamlString } from './edits';
export { defaultCatalogSet, Linter, type LintOptions, type LintResult, lintText, todayUtc } from './engine';
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
  plural,
  summarize,
} from './format';
export {
  conditionsHold,
  newOutboundItems,
  OutboundIndex,
  opensToInternet,
  requiredHosts,
  ruleById,
  ruleLabel,
  rules,
  servesVendor,
  suggestVendor,
  type VendorUse,
  vendorUses,
} from './rules';
export { applyFix, findingsOf, lintYaml, rangeText } from './testing';
export { describeRulesRefusal, rulesRefusal, type RulesRefusal, UNRELIABLE_RULES } from './reliability';
