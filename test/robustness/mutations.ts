/** Mutations of allowlist text for the fuzz tests: each takes the text and a few random numbers (from
 * fast-check, so failures shrink and replay) and returns an edited text. They model what editing and
 * copy-paste do to a file: lines lost, indentation off, values of the wrong type, absurd numbers,
 * unicode and control characters, stray YAML syntax. Below them, the generators of whole inputs: allowlists,
 * catalogs, `.allowlistrc.yaml` configs and the bytes a file is saved as. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { generateAllowlist } from '../generate';
import { packagePath } from '../../src/core/common';
import { ruleById, rules } from '../../src/core/lint';

export interface Mutation {
  kind: string;
  /** Where in the text (scaled to its length). */
  at: number;
  /** A second random number for the mutation's choice. */
  pick: number;
}

const WRONG_VALUES = ['[a, b]', '{x: 1}', '123', 'true', 'null', '~', '""', '-1', '[]', '{}', '2027-13-45', '"80-"', '0x1BB', '1e5', '.inf', '!!binary aGVsbG8=', '&anc x', '*ref', '|\n      block', '"\\e[1A\\r\\e[2K\\e]0;T\\a"', '"\\u202eevil"'];
const HUGE = ['99999999999999999999999999', '-9007199254740993', '1e309', '65536', '0', '"1-99999999999"', '1' + '0'.repeat(400)];
const UNICODE = ['é', 'ß', '漢字', '😀', '\u202e', '\u200b', '\ufeff', '\ud800', '\udc00', 'ｆｕｌｌ', 'İ', '\u0085', '\u2028', 'Ω'];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\u001b', '\t', '\r', '\r\n', '\u007f', '\u0000\u0000\u0000', '\u001b[1A\r\u001b[2K\u001b]0;T\u0007', '\u009b2J'];
const SYNTAX = [':', '- ', '? ', '"', "'", '[', ']', '{', '}', '#', '&a ', '*a', '!', '|', '>', '%YAML 1.2\n', '---\n', '...\n', '@', '`', ',', '*.example.com'];

export const MUTATION_KINDS = ['delete-line', 'duplicate-line', 'swap-lines', 'indent-more', 'indent-less', 'tab-indent', 'wrong-type', 'huge-number', 'unicode', 'control', 'syntax', 'delete-char', 'truncate', 'join-lines'] as const;

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...MUTATION_KINDS),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  pick: fc.nat({ max: 1_000_000 }),
});

function lineBounds(text: string, at: number): { start: number; end: number } {
  const offset = Math.min(text.length, Math.floor(at * text.length));
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  return { start, end: newline === -1 ? text.length : newline };
}

export function mutate(text: string, mutation: Mutation): string {
  const { kind, at, pick } = mutation;
  const offset = Math.min(text.length, Math.floor(at * text.length));
  const { start, end } = lineBounds(text, at);
  const line = text.slice(start, end);
  const choose = <T>(list: readonly T[]): T => list[pick % list.length];
  switch (kind) {
    case 'delete-line':
      return text.slice(0, start) + text.slice(Math.min(text.length, end + 1));
    case 'duplicate-line':
      return text.slice(0, end) + '\n' + line + text.slice(end);
    case 'swap-lines': {
      const next = lineBounds(text, Math.min(0.999999, (end + 1) / Math.max(1, text.length)));
      if (next.start <= end) return text;
      return text.slice(0, start) + text.slice(next.start, next.end) + '\n' + line + text.slice(next.end);
    }
    case 'indent-more':
      return text.slice(0, start) + ' '.repeat(1 + (pick % 4)) + text.slice(start);
    case 'indent-less': {
      const spaces = /^ */.exec(line)![0].length;
      return text.slice(0, start) + line.slice(Math.min(spaces, 1 + (pick % 4))) + text.slice(end);
    }
    case 'tab-indent':
      return text.slice(0, start) + line.replace(/^ +/, '\t') + text.slice(end);
    case 'wrong-type':
    case 'huge-number': {
      const colon = line.indexOf(': ');
      const value = choose(kind === 'wrong-type' ? WRONG_VALUES : HUGE);
      if (colon === -1) return text.slice(0, start) + line + ' ' + value + text.slice(end);
      return text.slice(0, start) + line.slice(0, colon + 2) + value + text.slice(end);
    }
    case 'unicode':
      return text.slice(0, offset) + choose(UNICODE) + text.slice(offset);
    case 'control':
      return text.slice(0, offset) + choose(CONTROL) + text.slice(offset);
    case 'syntax':
      return text.slice(0, offset) + choose(SYNTAX) + text.slice(offset);
    case 'delete-char':
      return text.slice(0, offset) + text.slice(offset + 1);
    case 'truncate':
      return text.slice(0, offset);
    case 'join-lines':
      return end < text.length ? text.slice(0, end) + ' ' + text.slice(end + 1) : text;
    default:
      return text;
  }
}

export function mutateAll(text: string, mutations: Mutation[]): string {
  return mutations.reduce(mutate, text);
}

/** Generated allowlists (test/generate.ts), 0-14 rules, in block or flow style. */
export const allowlistArb = fc.record({ seed: fc.nat({ max: 1_000_000 }), rules: fc.integer({ min: 0, max: 14 }), flow: fc.boolean() }).map((options) => generateAllowlist(options));
/** Generated allowlists after up to four mutations. */
export const mutatedArb = fc.tuple(allowlistArb, fc.array(mutationArb, { maxLength: 4 })).map(([text, mutations]) => mutateAll(text, mutations));

const BUILTIN_CATALOG = readFileSync(packagePath('catalogs/helpdesk-buttons.catalog.yaml'), 'utf8');
const CATALOG_HOSTS = ['relay.acme.example', '*.acme.example', '*.com', '203.0.113.7', '198.51.100.0/24', '2001:db8::/32', 'xn--caf-dma.example', 'café.example', 'a..b', '', '"*"', '[a, b]'];
const CATALOG_PORTS = ['[443]', '["7000-7100"]', '[0]', '[65536]', '["100-1"]', 'any', '[]', '443', '[1e309]'];
const SOURCE_URLS = ['https://acme.example/firewall', 'javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'vscode://settings', 'command:workbench.action.quit', 'http://[::1]:99999/', 'https://acme.example/%0a%1b[2K', '""'];
const NAMES = ['Acme Remote', '"\\e[1A\\r\\e[2K\\e]0;T\\a"', '"Acme \\u202eetomeR"', '"\\0"', 'Ącme', '[not, a, name]', '"<script>alert(1)</script>"', '"[x](javascript:alert(1))"'];

/** A small catalog built from picks among valid and hostile values (hosts, ports, links, names), or the built-in
 * catalog; then up to four mutations. */
export const catalogArb = fc
  .tuple(fc.boolean(), fc.array(fc.nat({ max: 1_000_000 }), { minLength: 6, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), fc.array(mutationArb, { maxLength: 4 }))
  .map(([builtin, [name, host, ports, url, id, role], endpoints, mutations]) => {
    const pick = <T>(list: readonly T[], at: number): T => list[at % list.length];
    const text = builtin
      ? BUILTIN_CATALOG
      : [
          'catalog: 1',
          'vendor:',
          `  id: ${pick(['acme', 'helpdesk-buttons', 'Acme!', '"\\e]8;;x\\a"', '1'], id)}`,
          `  name: ${pick(NAMES, name)}`,
          'endpoints:',
          ...Array.from({ length: endpoints }, (_, index) => [
            `  - id: endpoint-${index}`,
            `    role: ${pick(NAMES, role + index)}`,
            `    host: ${pick(CATALOG_HOSTS, host + index)}`,
            `    ports: ${pick(CATALOG_PORTS, ports + index)}`,
            '    allowlist-by: hostname',
            '    source:',
            `      url: ${pick(SOURCE_URLS, url + index)}`,
          ]).flat(),
          '',
        ].join('\n');
    return mutateAll(text, mutations);
  });

const SEVERITY_SETTINGS = ['error', 'warning', 'info', 'off', 'fatal', '""', '7', 'null', '[error]', '"\\e[2Kerror"', '{}'];
const OPTION_VALUES = ['0', '1', '14', '-1', '1.5', '"10"', '99999999999999999999', '.nan', 'null', '[1]'];
const CATALOG_SETTINGS = ['vendor.catalog.yaml', '[vendor.catalog.yaml, sub]', 'missing.catalog.yaml', '[broken.catalog.yaml]', '.', '42', '[1, 2]', '{a: b}', '""', '[""]', 'null', '[]', '[~]'];

/** `.allowlistrc.yaml` texts: rule ids known and unknown (some named like Object's own properties), severities
 * and options of every type, `catalogs:` values of every shape (pointing at the files the fuzz tests put beside
 * the config), and an unknown key now and then; then up to two mutations. */
export const configArb = fc
  .tuple(
    fc.array(fc.tuple(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), fc.nat({ max: 1_000_000 }), fc.nat({ max: 4 })), { maxLength: 4 }),
    fc.option(fc.nat({ max: 1_000_000 })),
    fc.boolean(),
    fc.array(mutationArb, { maxLength: 2 }),
  )
  .map(([settings, catalogs, unknownKey, mutations]) => {
    const ids = [...rules.map((rule) => rule.meta.id), 'no-such-rule', 'constructor', '__proto__'];
    const lines = settings.length > 0 ? ['rules:'] : [];
    for (const [id, severity, value, shape] of settings) {
      const rule = ids[id % ids.length];
      const options = [...Object.keys(ruleById.get(rule)?.meta.options ?? {}), 'bogus', 'toString'];
      const setting = SEVERITY_SETTINGS[severity % SEVERITY_SETTINGS.length];
      const option = `${options[value % options.length]}: ${OPTION_VALUES[value % OPTION_VALUES.length]}`;
      lines.push(`  ${rule}: ${[setting, `{ severity: ${setting} }`, `{ ${option} }`, `{ severity: ${setting}, ${option} }`, '[oops]'][shape]}`);
    }
    if (catalogs !== null) lines.push(`catalogs: ${CATALOG_SETTINGS[catalogs % CATALOG_SETTINGS.length]}`);
    if (unknownKey) lines.push('extends: recommended');
    return mutateAll(`${lines.join('\n')}\n`, mutations);
  });

/** How a text is saved: as UTF-8 (with or without a byte order mark), as UTF-16 (as Windows PowerShell 5.1
 * writes it), with CRLF or lone CR line ends, or with a byte that is not UTF-8. */
export const ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'crlf', 'cr', 'invalid-utf-8'] as const;
export type Encoding = (typeof ENCODINGS)[number];
/** Mostly plain UTF-8, so that the other encodings do not hide what the text itself does. */
export const encodingArb: fc.Arbitrary<Encoding> = fc.oneof({ weight: 6, arbitrary: fc.constant('utf-8' as const) }, { weight: 1, arbitrary: fc.constantFrom(...ENCODINGS) });

export function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf-16le':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'utf-16be':
      return Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    case 'crlf':
      return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
    case 'cr':
      return Buffer.from(text.replace(/\r?\n/g, '\r'), 'utf8');
    case 'invalid-utf-8': {
      const bytes = Buffer.from(text, 'utf8');
      const at = Math.floor(bytes.length / 2);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), bytes.subarray(at)]);
    }
  }
}
