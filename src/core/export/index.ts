/** `allowlist export`: an allowlist's rules as the configuration of a firewall platform, one target per file under
 * targets/, each declaring in data what its platform can express; what it cannot is a warning naming the rule.
 * User documentation: docs/export.md. */
export { neededCapabilities, missingCapabilities } from './capabilities';
export { changeSetTargets, EXPORT_UNRELIABLE, exportAllowlist, exportChangeSet, formatExportWarning, ruleChanges, ruleKey } from './export';
export { objectNames, type NameLimits } from './names';
export { exportRules, ruleComment } from './rules';
export { TARGETS, targetById } from './targets';
export type * from './types';
