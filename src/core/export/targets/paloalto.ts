/** PAN-OS: `set` commands for configuration mode that create, per rule, its address objects (fqdn or ip-netmask),
 * a static address group per side with more than one address, its services, and a security rule from the LAN zone
 * to the WAN zone (inbound: the reverse). Sources: docs/export.md#pan-os. */
import { formatPortRange } from '../../parse';
import { addressWanted, objectNames, type NameLimits } from '../names';
import { ruleComment } from '../rules';
import type { ExportEndpoints, ExportRule, ExportTarget } from '../types';
import { quotableText } from './cli-strings';

/** Names of objects and rules: up to 63 characters of letters, numbers, hyphens and underscores (the PAN-OS web
 * interface help also allows spaces, left out so that a name needs no quotes), starting with a letter here. */
const NAME_LIMITS: NameLimits = { maxLength: 63, invalid: /[^A-Za-z0-9_-]/, replacement: '_', letterFirst: 'r' };
/** Address object descriptions take up to 1023 characters; 255 is the smallest limit documented for the others
 * (security rules in PAN-OS 7.1), so it is used for them. */
const ADDRESS_DESCRIPTION_MAX = 1023;
const DESCRIPTION_MAX = 255;
export const PANOS_DEFAULT_LAN_ZONE = 'trust';
export const PANOS_DEFAULT_WAN_ZONE = 'untrust';

interface AddressObject {
  wanted: string;
  definition: string;
}

export const paloalto: ExportTarget = {
  id: 'paloalto',
  title: 'Palo Alto Networks (PAN-OS set commands)',
  capabilities: { fqdn: true, wildcardFqdn: false, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: true, comments: true },
  limits: {
    wildcardFqdn:
      'PAN-OS FQDN address objects take no wildcards, so the wildcard is left out: allow `*.domain` with a custom URL category in the rule\'s URL category match (web traffic only), or a dynamic address group filled by a script.',
  },
  sources: [
    { title: 'PAN-OS web interface help: Objects > Addresses (name up to 63 characters: letters, numbers, spaces, hyphens, underscores; description up to 1023)', url: 'https://docs.paloaltonetworks.com/content/techdocs/en_US/pan-os/10-0/pan-os-web-interface-help/objects/objects-addresses.html' },
    { title: 'PAN-OS web interface help: building blocks of a security policy rule (rule name up to 63 characters)', url: 'https://docs.paloaltonetworks.com/content/techdocs/en_US/pan-os/10-0/pan-os-web-interface-help/policies/policies-security/building-blocks-in-a-security-policy-rule.html' },
    { title: 'PAN-OS 10.1 admin guide: components of a security policy rule (name up to 63 characters; with NAT, the post-NAT zone)', url: 'https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule.html' },
    { title: 'PAN-OS 7.1 admin guide: optional fields of a security rule (description up to 255 characters; pre-NAT addresses)', url: 'https://docs.paloaltonetworks.com/pan-os/7-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule/optional-fields.html' },
    { title: 'Palo Alto Networks knowledge base, DotW: FQDN policy (no wildcard in an FQDN object; custom URL category as the workaround)', url: 'https://knowledgebase.paloaltonetworks.com/KCSArticleDetail?id=kA10g000000ClRfCAK' },
    { title: 'Advanced URL Filtering: guidelines for URL category exceptions (*.example.com entries)', url: 'https://docs.paloaltonetworks.com/advanced-url-filtering/administration/configuring-url-filtering/url-category-exceptions/guidelines-for-url-category-exceptions' },
  ],
  output: 'single',
  render(rules, context) {
    const plans = rules.map((rule) => ({ rule, src: addressObjects(rule, rule.from), dst: addressObjects(rule, rule.to) }));
    const wanted = plans.flatMap(({ rule, src, dst }) => [
      ...src.map((object) => object.wanted),
      ...dst.map((object) => object.wanted),
      `${rule.name} src`,
      `${rule.name} dst`,
      `${rule.name} tcp`,
      `${rule.name} udp`,
    ]);
    const names = new Map<string, string>();
    objectNames(wanted, NAME_LIMITS).forEach((name, index) => names.set(wanted[index], name));
    const ruleNames = objectNames(rules.map((rule) => rule.name), NAME_LIMITS);
    const lines: string[] = [];
    const defined = new Set<string>();
    plans.forEach(({ rule, src, dst }, index) => {
      const nameOf = (key: string) => names.get(key)!;
      const description = (max: number) => {
        const text = quotableText(ruleComment(rule, max));
        return { text: `description "${text.text}"`, changed: text.changed };
      };
      if (description(DESCRIPTION_MAX).changed) {
        context.warn(rule, 'PAN-OS: quotes, backslashes and control characters of its name or comment are written as \' / and escapes in the descriptions', 'note');
      }
      for (const object of [...src, ...dst]) {
        if (defined.has(object.wanted)) continue;
        defined.add(object.wanted);
        lines.push(`set address ${nameOf(object.wanted)} ${object.definition} ${description(ADDRESS_DESCRIPTION_MAX).text}`);
      }
      const sideRef = (side: ExportEndpoints, objects: AddressObject[], which: 'src' | 'dst'): string | undefined => {
        if (side.any) return 'any';
        if (objects.length === 0) return undefined;
        if (objects.length === 1) return nameOf(objects[0].wanted);
        const group = nameOf(`${rule.name} ${which}`);
        lines.push(`set address-group ${group} static [ ${objects.map((object) => nameOf(object.wanted)).join(' ')} ] ${description(DESCRIPTION_MAX).text}`);
        return group;
      };
      const source = sideRef(rule.from, src, 'src');
      const destination = sideRef(rule.to, dst, 'dst');
      if (!source || !destination) {
        context.warn(rule, `PAN-OS: no security rule written, its ${source ? 'destination' : 'source'} has only wildcards, which PAN-OS address objects cannot hold`);
        return;
      }

      const services: string[] = [];
      if (rule.protocol === 'any' && rule.ports === 'any') services.push('any');
      else {
        const ports = rule.ports === 'any' ? '1-65535' : rule.ports.map(formatPortRange).join(',');
        for (const protocol of ['tcp', 'udp'] as const) {
          if (rule.protocol !== 'any' && rule.protocol !== protocol) continue;
          const service = nameOf(`${rule.name} ${protocol}`);
          lines.push(`set service ${service} protocol ${protocol} port ${ports} ${description(DESCRIPTION_MAX).text}`);
          services.push(service);
        }
      }

      const inbound = rule.direction === 'inbound';
      if (inbound) {
        context.warn(rule, 'PAN-OS: the rule matches the server\'s own (pre-NAT) address; reaching it through a public address also takes a destination NAT rule and that address as the rule\'s destination, which this export does not write', 'note');
      }
      const lan = zone(context.options.lanInterface ?? PANOS_DEFAULT_LAN_ZONE);
      const wan = zone(context.options.wanInterface ?? PANOS_DEFAULT_WAN_ZONE);
      lines.push(
        `set rulebase security rules ${ruleNames[index]} from ${inbound ? wan : lan} to ${inbound ? lan : wan} ` +
          `source ${list([source])} destination ${list([destination])} service ${list(services)} application any action allow ${description(DESCRIPTION_MAX).text}`,
      );
    });
    return [{ name: 'allowlist-paloalto.txt', text: lines.map((line) => `${line}\n`).join('') }];
  },
};

/** The suffixes of a rule's own objects' names: its groups and its services. */
const OWN_OBJECTS = new Set(['src', 'dst', 'tcp', 'udp']);

function addressObjects(rule: ExportRule, side: ExportEndpoints): AddressObject[] {
  // Wildcards have no address object (the capability warning says so).
  return [
    ...side.hosts.map((host) => ({ wanted: addressWanted(rule.name, host, OWN_OBJECTS), definition: `fqdn ${host}` })),
    ...[...side.ipv4, ...side.ipv6].map((network) => ({ wanted: `${rule.name} ${network}`, definition: `ip-netmask ${network}` })),
  ];
}

/** `[ a b ]` for a list, the bare member for one. */
const list = (members: string[]) => (members.length === 1 ? members[0] : `[ ${members.join(' ')} ]`);

/** A zone name from the command line, quoted when it has more than a plain name's characters. */
function zone(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : `"${quotableText(name).text}"`;
}
