/** Every lint rule, in the order the docs list them. Rule metadata here feeds docs/rules.md, the
 * README's rule table and SARIF's rules[]. */
import type { LintRule } from './rule';
import { yamlSyntax } from './yaml-syntax';
import { schema } from './schema';
import { ignoreComment } from './ignore-comment';
import { catalog } from './catalog';
import { invalidAddress } from './invalid-address';
import { invalidPort } from './invalid-port';
import { duplicateName } from './duplicate-name';
import { controlCharacter } from './control-character';
import { expiredRule } from './expired-rule';
import { expiresSoon } from './expires-soon';
import { unknownVendor } from './unknown-vendor';
import { vendorOption } from './vendor-option';
import { hostnameNotIp } from './hostname-not-ip';
import { inboundTooBroad } from './inbound-too-broad';
import { inboundUnknownSource } from './inbound-unknown-source';
import { wildcardTooBroad } from './wildcard-too-broad';
import { outboundAny } from './outbound-any';
import { missingEndpoint } from './missing-endpoint';
import { missingPorts } from './missing-ports';
import { inboundMissingSource } from './inbound-missing-source';
import { shadowedRule } from './shadowed-rule';
import { missingExclusion } from './missing-exclusion';
import { exclusionPath } from './exclusion-path';
import { productAdvice } from './product-advice';
import { unknownProduct } from './unknown-product';

export const rules: LintRule[] = [
  yamlSyntax,
  schema,
  invalidAddress,
  invalidPort,
  duplicateName,
  controlCharacter,
  // vendors, addresses and sources of each rule
  unknownVendor,
  vendorOption,
  hostnameNotIp,
  inboundTooBroad,
  inboundUnknownSource,
  wildcardTooBroad,
  outboundAny,
  // vendor requirements and coverage across rules
  missingEndpoint,
  missingPorts,
  inboundMissingSource,
  shadowedRule,
  missingExclusion,
  exclusionPath,
  productAdvice,
  unknownProduct,
  expiredRule,
  expiresSoon,
  ignoreComment,
  catalog,
];

export const ruleById = new Map(rules.map((rule) => [rule.meta.id, rule]));
export { catalogControlCharacters } from './control-character';
export { newOutboundItems, OutboundIndex, requiredHosts } from './missing-endpoint';
export {
  conditionsHold,
  type LintRule,
  type Report,
  type RuleContext,
  ruleLabel,
  servesVendor,
  type VendorUse,
  vendorUses,
} from './rule';
export { suggestVendor } from './unknown-vendor';
export { opensToInternet } from './inbound-too-broad';
