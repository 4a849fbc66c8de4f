/** The part of this folder's face that runs anywhere: the browser bundles take it for index.ts (scripts/build.mjs),
 * and index.ts adds what needs Node (config files, finding files, the report formats). */
export { CONFIG_FILE_NAMES, ConfigError, emptyConfig, type LintConfig, parseConfig, withSettingRules } from './config';
export { hasAllowlistKey, isCatalogFileName, lintedKind, SNIFF_BYTES } from './file-kind';
export { addExclusion, appendRuleItems, lineStartOf, yamlString } from './edits';
export { defaultCatalogSet, Linter, type LintOptions, type LintResult, lintText, todayUtc } from './engine';
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
export { describeRulesRefusal, rulesRefusal, type RulesRefusal, UNRELIABLE_RULES } from './reliability';
