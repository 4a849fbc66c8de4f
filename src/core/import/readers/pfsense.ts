/** pfSense: the `<aliases>` and `<filter>` sections of config.xml (a whole backup, or the file `allowlist export
 * --target pfsense` writes). Pass rules on the LAN interface are outbound, on the WAN interface inbound (defaults `lan`
 * and `wan`, as the export's); aliases are expanded, nested ones too. */
import type { ImportedRule, ImportProblem, ImportReader, ImportResult, ReadOptions } from '../types';
import { Aliases, filterRule, legacyAliases, xmlRuleFields } from './pf-config';
import { child, childText, parseXml, XmlError, type XmlElement } from './xml';

function read(text: string, options: ReadOptions): ImportResult {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return { rules: [], problems: [{ line: error.line, kind: 'skipped', message: `pfSense: config.xml is not well-formed XML: ${error.message}` }] };
    throw error;
  }
  if (root.name !== 'pfsense') return { rules: [], problems: [{ line: root.line, kind: 'skipped', message: `pfSense: the root element is <${root.name}>, not <pfsense>: not a pfSense config.xml` }] };
  const aliases = new Aliases(legacyAliases(child(root, 'aliases')));
  const rules: ImportedRule[] = [];
  const problems: ImportProblem[] = [];
  const filter = child(root, 'filter');
  if (!filter) problems.push({ line: root.line, kind: 'skipped', message: 'pfSense: the file has no <filter> section: no rules to read' });
  for (const element of filter?.children ?? []) {
    if (element.name !== 'rule') continue;
    const tracker = childText(element, 'tracker');
    const rule = filterRule(xmlRuleFields(element, 'pfSense rule', tracker ? [tracker] : []), aliases, options, problems);
    if (rule) rules.push(rule);
  }
  return { rules, problems };
}

export const pfsense: ImportReader = {
  id: 'pfsense',
  title: 'pfSense (config.xml, a whole backup or the export\'s file)',
  sources: [
    { title: 'pfSense: Alias Types (host, network, port, URL aliases; nested aliases)', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/aliases-types.html' },
    { title: 'pfSense: Firewall Rule Configuration (action, interface, address family, protocol, source, destination)', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/configure.html' },
    { title: 'pfSense: Floating Rules', url: 'https://docs.netgate.com/pfsense/en/latest/firewall/floating-rules.html' },
    { title: 'pfSense: Backup and Recovery (config.xml)', url: 'https://docs.netgate.com/pfsense/en/latest/backup/index.html' },
  ],
  read,
};
