/** Which capabilities a rule needs, so that a target lacking one warns about that rule, once, in the platform's words. */
import type { Capabilities, Capability, ExportEndpoints, ExportRule } from './types';

const names = (side: ExportEndpoints) => side.hosts.length + side.wildcards.length > 0;

/** What rendering `rule` faithfully takes, in a fixed order (the order warnings are given in). */
export function neededCapabilities(rule: ExportRule): Capability[] {
  const needs: Capability[] = [];
  if (rule.direction === 'inbound') needs.push('inbound');
  if (rule.direction === 'inbound' && names(rule.from)) needs.push('inboundFqdn');
  if (rule.to.hosts.length + rule.from.hosts.length > 0) needs.push('fqdn');
  if (rule.to.wildcards.length + rule.from.wildcards.length > 0) needs.push('wildcardFqdn');
  if (rule.ports !== 'any' && rule.ports.some((span) => span.from !== span.to)) needs.push('portRanges');
  if (rule.to.ipv6.length + rule.from.ipv6.length > 0) needs.push('ipv6');
  if (rule.protocol !== 'tcp') needs.push('udp');
  return needs;
}

/** The capabilities `rule` needs that a target lacks. */
export function missingCapabilities(rule: ExportRule, capabilities: Capabilities): Capability[] {
  return neededCapabilities(rule).filter((capability) => !capabilities[capability]);
}
