/** An imported configuration written as an allowlist: the header with the schema modeline, the vendors named with
 * `--vendor` (declared with their catalog's defaults), and one rule item per imported rule, in the configuration's
 * order, each with a comment naming the line it comes from. Pure: rules and options in, text out. */
import type { Catalog } from '../catalog';
import { visible } from '../common';
import { vendorsBlock } from '../init';
import { conditionsHold, yamlString } from '../lint';
import { coveringKeys, indexKey, parseAddress } from '../parse';
import type { ImportedRule } from './types';

export interface WriteOptions {
  /** Where the `# yaml-language-server: $schema=` modeline points (a path relative to the written file, or a URL). */
  schema: string;
  /** The configuration's name as the header and the rules' comments show it. */
  sourceName: string;
  /** The reader's title ("FortiGate (FortiOS configuration)"). */
  readerTitle: string;
  site?: string;
  /** Vendors to declare; a rule whose destinations include one of a vendor's catalog hosts gets `vendor:`, and so does an
   * inbound rule whose sources admit an address the vendor connects from (under the vendor's options). */
  vendors: Catalog[];
  /** Option values of the vendors, by vendor id and option name, written instead of their catalogs' defaults. */
  vendorOptions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export function importedAllowlist(rules: ImportedRule[], options: WriteOptions): string {
  const lines = [
    `# yaml-language-server: $schema=${options.schema}`,
    '#',
    `# Imported by \`allowlist import\` from ${oneLine(options.sourceName)} (${oneLine(options.readerTitle)}).`,
    '# Check it with `allowlist lint`; each rule names the line of the configuration it comes from.',
    'allowlist: 1',
    options.site === undefined ? '# site: Contoso Dental - Main Street practice' : `site: ${yamlString(options.site)}`,
    '',
  ];
  if (options.vendors.length > 0) lines.push(...vendorsBlock(options.vendors, options.vendorOptions), '');
  const names = writtenNames(rules);
  for (const direction of ['outbound', 'inbound'] as const) {
    const items = rules.flatMap((rule, index) => (rule.direction === direction ? [ruleItem(rule, names[index], vendorOf(rule, options), options.sourceName)] : []));
    lines.push(items.length === 0 ? `${direction}: []` : `${direction}:`, ...items.flat());
  }
  return `${lines.join('\n')}\n`;
}

function ruleItem(rule: ImportedRule, name: string, vendor: string | undefined, sourceName: string): string[] {
  const fields: [string, string][] = [['name', yamlString(name)]];
  if (rule.description) fields.push(['description', yamlString(oneLine(rule.description))]);
  if (vendor) fields.push(['vendor', vendor]);
  // Inbound rules need a source; an outbound rule without one is the whole site.
  if (rule.from !== undefined || rule.direction === 'inbound') fields.push(['from', addresses(rule.from ?? ['any'])]);
  fields.push(['to', addresses(rule.to)]);
  fields.push(['ports', rule.ports === 'any' ? 'any' : rule.ports.length === 1 ? portText(rule.ports[0]) : `[${rule.ports.map(portText).join(', ')}]`]);
  if (rule.protocol !== 'tcp') fields.push(['protocol', rule.protocol]);
  if (rule.ticket) fields.push(['ticket', yamlString(oneLine(rule.ticket))]);
  return [`  # from ${oneLine(sourceName)}, line ${rule.line}`, ...fields.map(([key, value], index) => `${index === 0 ? '  - ' : '    '}${key}: ${value}`)];
}

function addresses(list: string[]): string {
  return list.length === 1 ? yamlString(list[0]) : `[${list.map(yamlString).join(', ')}]`;
}

function portText(port: number | string): string {
  return typeof port === 'number' ? String(port) : yamlString(port);
}

/** The vendor a rule serves (the first such vendor of those declared): outbound to one of its catalog hosts, or inbound
 * from sources that admit one of the addresses it connects from (`any` admits all). */
function vendorOf(rule: ImportedRule, options: WriteOptions): string | undefined {
  const hosts = new Set(rule.to.map((address) => address.toLowerCase()));
  const sourceKeys = new Set((rule.from ?? ['any']).map((address) => indexKey(parseAddress(address, NO_RANGE))));
  const admits = (catalog: Catalog): boolean => {
    const values = { ...Object.fromEntries(catalog.options.map((option) => [option.name, option.default])), ...options.vendorOptions?.[catalog.id] };
    return catalog.inboundSources.some((source) => conditionsHold(source.when, values) && coveringKeys(parseAddress(source.address, NO_RANGE)).some((key) => sourceKeys.has(key)));
  };
  return options.vendors.find((catalog) => catalog.endpoints.some((endpoint) => hosts.has(endpoint.host.toLowerCase())) || (rule.direction === 'inbound' && admits(catalog)))?.id;
}

const NO_RANGE = { start: 0, end: 0 };

/** The rules' names as the allowlist has them, in order: one line each, unique in the file. */
export function writtenNames(rules: readonly ImportedRule[]): string[] {
  return uniqueNames(rules.map((rule) => oneLine(rule.name)));
}

/** Names unique in the file, in order: a repeated name gets `-2`, `-3`… (skipping names already taken). */
function uniqueNames(wanted: string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((name) => {
    const base = name.trim() || 'rule';
    let unique = base;
    for (let suffix = 2; taken.has(unique); suffix++) unique = `${base}-${suffix}`;
    taken.add(unique);
    return unique;
  });
}

/** Configuration text on one line of a comment or a YAML string: line breaks become spaces, control and bidi
 * characters visible escapes (`visible()`), so nothing from the configuration can end a comment or hide text. */
function oneLine(text: string): string {
  return visible(text.replace(/\s+/g, ' ').trim());
}
