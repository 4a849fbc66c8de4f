/** `allowlist drift`: a firewall's configuration (or live nftables ruleset) against its allowlist, by effect: what the
 * firewall allows that the allowlist does not (extra), the reverse (missing), and the declared vendors' requirements the
 * firewall fails. User documentation: docs/import.md ("Drift"). */
export { driftOf, type DriftOptions } from './drift';
export { DRIFT_FORMATS, type DriftFormat, driftVerdict, formatDrift, isDriftFormat } from './format';
export type * from './types';
