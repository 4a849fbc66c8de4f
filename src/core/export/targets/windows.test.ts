/** The Windows Defender Firewall export: golden files, and checks a stale golden file cannot fool, on the tree of a
 * real PowerShell parser (tree-sitter-powershell's WebAssembly build through web-tree-sitter). */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { visible } from '../../common';
import { exportAllowlist, type ExportOptions, type ExportResult } from '..';
import { assertGolden, modelOf, warningLines } from './golden.test-helpers';
import { windows } from './windows';

const root = join(__dirname, '../../../..');
const testdata = join(__dirname, 'testdata/windows');
const OPTIONS: ExportOptions = { today: '2026-12-02', sourceName: 'examples/contoso.allowlist.yaml' };

function exported(text: string, options: ExportOptions = OPTIONS): ExportResult {
  return exportAllowlist(modelOf(text), windows, options);
}
const scriptOf = (result: ExportResult) => result.files[0].text;
const contoso = () => readFileSync(join(root, 'examples/contoso.allowlist.yaml'), 'utf8');
const edge = () => readFileSync(join(testdata, 'edge.allowlist.yaml'), 'utf8');

let parser: Parser;
before(async () => {
  await Parser.init();
  parser = new Parser();
  parser.setLanguage(await Language.load(require.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
});

/** The script's syntax tree; PowerShell reads the byte order mark as the encoding, not as text. */
function parse(script: string): Node {
  assert.ok(script.startsWith('\uFEFF'), 'a byte order mark, so that Windows PowerShell 5.1 reads UTF-8');
  const tree = parser.parse(script.slice(1));
  assert.ok(tree, 'parsed');
  return tree.rootNode;
}

function descendants(node: Node, type: string): Node[] {
  return node.descendantsOfType(type).filter((found): found is Node => found !== null);
}

/** Where the parser gave up (ERROR nodes) or assumed a token that is not there (missing nodes), by line. */
function parseErrors(node: Node, found: string[] = []): string[] {
  if (node.type === 'ERROR' || node.isMissing) found.push(`line ${node.startPosition.row + 1}: ${node.isMissing ? `missing ${node.type}` : node.text}`);
  for (const child of node.children) if (child) parseErrors(child, found);
  return found;
}

/** A command as the parser sees it: its name, and each -Parameter with the values after it (strings unquoted). */
interface Command {
  name: string;
  node: Node;
  parameters: Map<string, string[]>;
}

/** The value of a single-quoted PowerShell string literal, as PowerShell reads it: '' is one quote. */
const unquote = (literal: string) => literal.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');

function commands(root: Node): Command[] {
  return descendants(root, 'command').map((node) => {
    const parameters = new Map<string, string[]>();
    let current: string[] | undefined;
    for (const element of node.childForFieldName('command_elements')?.namedChildren ?? []) {
      if (!element || element.type === 'command_argument_sep') continue;
      if (element.type === 'command_parameter') {
        current = [];
        parameters.set(element.text, current);
        continue;
      }
      const strings = descendants(element, 'verbatim_string_characters').map((literal) => unquote(literal.text));
      current?.push(...(strings.length > 0 ? strings : [element.text]));
    }
    return { name: node.childForFieldName('command_name')?.text ?? '', node, parameters };
  });
}

/** Every command the script may run: anything else in the tree is code that got out of a string. */
const ALLOWED_COMMANDS = new Set([
  'New-NetFirewallRule',
  'New-NetFirewallDynamicKeywordAddress',
  'Get-NetFirewallRule',
  'Remove-NetFirewallRule',
  'Get-NetFirewallDynamicKeywordAddress',
  'Remove-NetFirewallDynamicKeywordAddress',
  'Set-NetFirewallProfile',
  'Get-Command',
  'Get-MpPreference',
  'Where-Object',
  'ForEach-Object',
  'Out-Null',
  'Write-Warning',
]);

/** The checks that hold for every script this target writes, whatever its golden file says. */
function checkStructure(script: string): Command[] {
  const tree = parse(script);
  assert.equal(tree.hasError, false, `the PowerShell parser found errors:\n${parseErrors(tree).join('\n')}`);
  const all = commands(tree);
  for (const command of all) {
    assert.ok(ALLOWED_COMMANDS.has(command.name), `unexpected command ${command.name}`);
    assert.equal(command.node.startPosition.row, command.node.endPosition.row, `one line: ${command.node.text}`);
  }
  assert.match(script, /^\uFEFF#Requires -RunAsAdministrator\n/);
  assert.equal(descendants(tree, 'param_block').length, 1);
  const group = /^\$Group = '((?:[^']|'')*)'$/m.exec(script);
  const tag = /^\$KeywordTag = '([0-9a-f]{8})'$/m.exec(script)?.[1];
  assert.ok(group && tag, 'the group and the keyword tag are set');

  const created = all.filter((command) => command.name === 'New-NetFirewallDynamicKeywordAddress').map((command) => command.parameters.get('-Id')![0]);
  for (const id of created) assert.match(id, new RegExp(`^\\{${tag}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\}$`), 'a GUID in braces that starts with the tag');
  assert.equal(new Set(created).size, created.length, 'each keyword address created once');

  const rules = all.filter((command) => command.name === 'New-NetFirewallRule');
  const names = rules.map((rule) => rule.parameters.get('-Name')![0]);
  assert.equal(new Set(names).size, names.length, 'rule names are unique');
  const referenced = new Set<string>();
  for (const rule of rules) {
    const name = rule.parameters.get('-Name')![0];
    assert.match(name, new RegExp(`^FirewallAllowlist-${tag}-[A-Za-z0-9_-]{1,48}(\\.names)?(\\.(tcp|udp))?$`));
    assert.deepEqual(rule.parameters.get('-Group'), ['$Group'], name);
    assert.deepEqual(rule.parameters.get('-Action'), ['Allow'], name);
    assert.deepEqual(rule.parameters.get('-ErrorAction'), ['Stop'], name);
    const ports = rule.parameters.get('-RemotePort') ?? rule.parameters.get('-LocalPort');
    if (ports) assert.match(rule.parameters.get('-Protocol')?.[0] ?? '', /^(TCP|UDP)$/, `${name}: Windows takes ports with TCP or UDP only`);
    for (const id of rule.parameters.get('-RemoteDynamicKeywordAddresses') ?? []) {
      assert.ok(created.includes(id), `${name} refers to ${id}, which the script creates`);
      referenced.add(id);
    }
    if (rule.parameters.get('-Direction')?.[0] === 'Inbound') assert.ok(!rule.parameters.has('-RemoteDynamicKeywordAddresses'), `${name}: no host names inbound`);
  }
  assert.deepEqual([...referenced].sort(), [...created].sort(), 'every keyword address created is used');

  // Re-running replaces: what this script creates (rules of $Group, keyword ids with the tag) is removed before
  // anything is created, and the removal finds exactly those.
  const rowOf = (name: string) => all.find((command) => command.name === name)?.node.startPosition.row ?? Infinity;
  const firstCreation = Math.min(rowOf('New-NetFirewallRule'), rowOf('New-NetFirewallDynamicKeywordAddress'));
  assert.ok(rowOf('Remove-NetFirewallRule') < firstCreation && rowOf('Remove-NetFirewallDynamicKeywordAddress') < firstCreation, 'removal comes first');
  assert.match(script, /^Get-NetFirewallRule -PolicyStore PersistentStore -ErrorAction Stop \| Where-Object \{ \$_\.Group -ceq \$Group \} \| Remove-NetFirewallRule/m);
  assert.match(script, /Where-Object \{ \$_\.Id\.Trim\('\{\}'\) -like "\$KeywordTag-\*" \} \| ForEach-Object \{ Remove-NetFirewallDynamicKeywordAddress -Id \$_\.Id/);

  // The default outbound action changes only under -BlockOtherOutbound.
  const profiles = all.filter((command) => command.name === 'Set-NetFirewallProfile');
  assert.equal(profiles.length, 1);
  let ancestor: Node | null = profiles[0].node;
  while (ancestor && ancestor.type !== 'if_statement') ancestor = ancestor.parent;
  assert.equal(ancestor?.childForFieldName('condition')?.text ?? ancestor?.namedChildren[0]?.text, '$BlockOtherOutbound');
  return all;
}

const warningList = (result: ExportResult) => warningLines(result).trimEnd().split('\n');

describe('windows export', () => {
  test('contoso: golden script and warnings; the structure holds', () => {
    const result = exported(contoso());
    assertGolden(windows, 'contoso', result);
    const all = checkStructure(scriptOf(result));
    const inbound = all.find((command) => command.parameters.get('-Name')?.[0].endsWith('-hdb-ticket-api'));
    assert.deepEqual(inbound?.parameters.get('-Direction'), ['Inbound']);
    assert.deepEqual(inbound?.parameters.get('-LocalPort'), ['443']);
    assert.deepEqual(inbound?.parameters.get('-LocalAddress'), ['10.20.0.15']);
    assert.equal(inbound?.parameters.has('-RemoteAddress'), false, 'from: any');
    const ntp = all.find((command) => command.parameters.get('-Name')?.[0].endsWith('-ntp'));
    assert.deepEqual([ntp?.parameters.get('-Protocol'), ntp?.parameters.get('-LocalAddress')], [['UDP'], ['10.20.0.10']]);
    assert.match(warningList(result)[0], /^20 hdb-api note: host names become AutoResolve dynamic keyword addresses .*network protection/);
  });

  test('edge cases: golden script; wildcards, IPv6, UDP, ranges, any, long names, inbound, expired', () => {
    const result = exported(edge());
    assertGolden(windows, 'edge', result);
    const all = checkStructure(scriptOf(result));
    const byName = new Map(all.filter((command) => command.name === 'New-NetFirewallRule').map((command) => [command.parameters.get('-Name')![0].replace(/^FirewallAllowlist-[0-9a-f]{8}-/, ''), command]));
    const keywords = new Map(all.filter((command) => command.name === 'New-NetFirewallDynamicKeywordAddress').map((command) => [command.parameters.get('-Keyword')![0], command.parameters.get('-Id')![0]]));
    assert.deepEqual([...keywords.keys()], ['*.cdn.example.com', 'api.example.com', 'hostile.example.com'], 'wildcards keep their *., sorted');
    // A rule's IP addresses and its host names are rules of their own.
    assert.deepEqual(byName.get('wildcard-and-ip')?.parameters.get('-RemoteAddress'), ['192.0.2.10', '2001:db8::/32']);
    assert.deepEqual(byName.get('wildcard-and-ip')?.parameters.get('-RemotePort'), ['443', '2001-2500']);
    assert.deepEqual(byName.get('wildcard-and-ip.names')?.parameters.get('-RemoteDynamicKeywordAddresses'), [keywords.get('api.example.com'), keywords.get('*.cdn.example.com')]);
    assert.deepEqual(byName.get('wildcard-and-ip_names')?.parameters.get('-RemoteAddress'), ['192.0.2.11'], 'a rule whose name looks like a part of another keeps its own');
    assert.deepEqual(byName.get('dns-udp')?.parameters.get('-Protocol'), ['UDP']);
    // protocol any: no -Protocol without ports; one rule per protocol with ports.
    assert.deepEqual([...(byName.get('anything-from-one-host')?.parameters.keys() ?? [])].filter((key) => /Protocol|Port|RemoteAddress/.test(key)), []);
    assert.deepEqual(byName.get('anything-from-one-host')?.parameters.get('-LocalAddress'), ['10.0.0.5']);
    assert.deepEqual([byName.get('ipsec-any-protocol.tcp'), byName.get('ipsec-any-protocol.udp')].map((rule) => rule?.parameters.get('-Protocol')?.[0]), ['TCP', 'UDP']);
    assert.ok(![...byName.keys()].includes('names-only-source'), 'an inbound rule whose sources are names only is left out, not opened to all');
    assert.deepEqual(byName.get('vendor-push')?.parameters.get('-RemoteAddress'), ['198.51.100.7', '2001:db8:1::/48']);
    assert.match(scriptOf(result), /^# left out: its sources are host names only/m);
    assert.equal(byName.get('rdp-from-anywhere')?.parameters.has('-RemoteAddress'), false);
    assert.ok([...byName.keys()].some((name) => name.startsWith('a-very-long-rule-name') && name.length <= 48), 'long names cut, with a hash');

    const warnings = warningList(result);
    assert.ok(warnings.some((line) => /^\d+ vendor-push unfaithful: Windows Firewall has no host names as the source of an inbound rule/.test(line)));
    assert.ok(warnings.some((line) => /^\d+ names-only-source unfaithful: Windows Firewall has no host names as the source/.test(line)));
    assert.ok(warnings.some((line) => /^\d+ from-named-host unfaithful: Windows Firewall takes no host name as this machine's own address/.test(line)));
    assert.ok(warnings.some((line) => /^\d+ expired-relay note: expired on 2020-01-01/.test(line)));
    assert.equal(warnings.filter((line) => line.includes('AutoResolve')).length, 1, 'the dynamic keyword note is given once');
  });

  test('hostile names, tickets, owners and file names stay inside their strings', () => {
    const text = edge();
    const options = { ...OPTIONS, sourceName: "C:\\sites\\o'neil $(calc) `n [x]*.allowlist.yaml" };
    const script = scriptOf(exported(text, options));
    const all = checkStructure(script);
    const hostile = all.find((command) => command.parameters.get('-DisplayName')?.[0].startsWith("Allowlist: o'brien"));
    const name = "o'brien \u2018quoted\u2019 $(Remove-Item C:\\) `whoami` \"dq\"\nnext-line # not a comment";
    assert.deepEqual(hostile?.parameters.get('-DisplayName'), [`Allowlist: ${visible(name)}`], 'the name, quotes doubled, newline escaped');
    assert.deepEqual(hostile?.parameters.get('-Description'), [`${visible(name)}; ticket T-1'; Remove-Item C:\\ -Recurse; '; owner $env:USERNAME`]);
    assert.match(hostile?.parameters.get('-Name')?.[0] ?? '', /^FirewallAllowlist-[0-9a-f]{8}-o_brien_/);
    assert.match(script, /^\$Group = 'Firewall Allowlist: o''neil \$\(calc\) `n \[x\]\*\.allowlist\.yaml'$/m, 'the file name, without its folder, quoted');
    // Nothing from the file became code: no subexpression or variable but the script's own.
    const variables = new Set(descendants(parse(script), 'variable').map((node) => node.text));
    assert.deepEqual([...variables].filter((variable) => !['$ErrorActionPreference', '$Group', '$KeywordTag', '$UsesKeywords', '$NetworkProtection', '$BlockOtherOutbound', '$_', '$true', '$null'].includes(variable)), []);
    // Every line of a comment is a comment: the newline in the name did not end one.
    for (const line of script.split('\n')) assert.doesNotMatch(line, /^next-line/);
  });

  test('deterministic: the same file gives the same bytes; reordered rules keep their names and keyword ids', () => {
    assert.equal(scriptOf(exported(edge())), scriptOf(exported(edge())));
    const model = modelOf(edge());
    const reversed = { ...model, outbound: [...model.outbound].reverse(), inbound: [...model.inbound].reverse() };
    const identities = (script: string) =>
      commands(parse(script))
        .flatMap((command) => [...(command.parameters.get('-Name') ?? []), ...(command.parameters.get('-Id') ?? [])])
        .sort();
    assert.deepEqual(identities(scriptOf(exportAllowlist(reversed, windows, OPTIONS))), identities(scriptOf(exported(edge()))));
  });

  test('--skip-expired leaves the expired rule out of the script', () => {
    const script = scriptOf(exported(edge(), { ...OPTIONS, skipExpired: true }));
    assert.doesNotMatch(script, /expired-relay/);
    checkStructure(script);
  });

  test('a file without host names needs no dynamic keywords', () => {
    const script = scriptOf(exported('allowlist: 1\nsite: s\noutbound:\n  - name: web\n    to: 192.0.2.1\n    ports: 443\n'));
    assert.match(script, /^\$UsesKeywords = \$false$/m);
    assert.doesNotMatch(script, /New-NetFirewallDynamicKeywordAddress -Id/);
    checkStructure(script);
  });
});
