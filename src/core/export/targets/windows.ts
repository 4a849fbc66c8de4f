/** Windows Defender Firewall on one Windows machine: a PowerShell script (Windows PowerShell 5.1) of
 * `New-NetFirewallRule` commands, host names as AutoResolve dynamic keyword addresses. Re-running it replaces what
 * it created before: its rules share one `-Group` and have stable `-Name`s, its keyword addresses have GUIDs derived
 * from the group and the host name, and both are removed before they are created again. */
import { psQuote, sha256Hex, visible } from '../../common';
import { objectNames } from '../names';
import { ruleComment } from '../rules';
import type { ExportEndpoints, ExportRule, ExportTarget, RenderContext } from '../types';

const DYNAMIC_KEYWORDS_DOC = 'https://learn.microsoft.com/windows/security/operating-system-security/network-security/windows-firewall/dynamic-keywords';

/** What the platform needs before host names work, said in the script, the note and docs/export.md alike. */
const KEYWORD_REQUIREMENTS =
  'Windows 10 20H2, 21H1 or 21H2 with KB5013942, or Windows 11; Microsoft Defender Antivirus (platform 4.18.2209.7 or later) with network protection in block or audit mode; DNS over HTTPS turned off';

/** `-Name` is the rule's identity in the policy store; these limits are ours (the cmdlet documents none), chosen to
 * keep names readable and free of characters a `-Name` wildcard query would read as a pattern. No dot: the parts
 * one allowlist rule splits into are named `<name>.names`, `<name>.tcp`, which then never meet another rule's name. */
const NAME_LIMITS = { maxLength: 48, invalid: /[^A-Za-z0-9_-]/, replacement: '_' };

export const windows: ExportTarget = {
  id: 'windows',
  title: 'Windows Defender Firewall (PowerShell)',
  capabilities: { fqdn: true, wildcardFqdn: true, portRanges: true, ipv6: true, udp: true, inbound: true, inboundFqdn: false, comments: true },
  limits: {
    inboundFqdn:
      'Windows Firewall has no host names as the source of an inbound rule (dynamic keywords fill from the DNS answers this machine receives, not from who connects): the rule keeps only its IP sources and is left out when it has none; write the vendor\'s published source addresses in from:',
  },
  sources: [
    { title: 'Windows Firewall dynamic keywords (FQDN requirements, wildcards, no inbound FQDN rules)', url: DYNAMIC_KEYWORDS_DOC },
    { title: 'New-NetFirewallDynamicKeywordAddress', url: 'https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewalldynamickeywordaddress' },
    { title: 'Get-NetFirewallDynamicKeywordAddress', url: 'https://learn.microsoft.com/powershell/module/netsecurity/get-netfirewalldynamickeywordaddress' },
    { title: 'Remove-NetFirewallDynamicKeywordAddress', url: 'https://learn.microsoft.com/powershell/module/netsecurity/remove-netfirewalldynamickeywordaddress' },
    { title: 'New-NetFirewallRule', url: 'https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule' },
    { title: 'Set-NetFirewallProfile (-DefaultOutboundAction)', url: 'https://learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile' },
    { title: 'Firewall CSP: DynamicKeywords (applicable Windows versions, keyword wildcards)', url: 'https://learn.microsoft.com/windows/client-management/mdm/firewall-csp' },
    { title: 'FW_DYNAMIC_KEYWORD_ADDRESS0 (the id is a non-empty GUID)', url: 'https://learn.microsoft.com/windows/win32/api/netfw/ns-netfw-fw_dynamic_keyword_address0' },
    { title: 'Turn on network protection (Microsoft Defender)', url: 'https://learn.microsoft.com/defender-endpoint/enable-network-protection' },
  ],
  output: 'single',
  render: (rules, context) => [{ name: 'allowlist-firewall.ps1', text: script(rules, context) }],
};

/** One `New-NetFirewallRule`: an allowlist rule becomes one or more of them (Windows takes ports only with TCP or
 * UDP, and a rule's IP addresses and its keyword addresses go in rules of their own). */
interface FirewallRule {
  name: string;
  displayName: string;
  description: string;
  direction: 'Inbound' | 'Outbound';
  protocol?: 'TCP' | 'UDP';
  ports: string[];
  localAddresses: string[];
  remoteAddresses: string[];
  keywordIds: string[];
}

/** A rule as the script writes it: its firewall rules, or why it is left out. */
interface RenderedRule {
  rule: ExportRule;
  firewallRules: FirewallRule[];
  leftOut?: string;
}

function script(rules: ExportRule[], context: RenderContext): string {
  const sourceName = visible(context.options.sourceName.split(/[\\/]/).pop() || context.options.sourceName);
  const group = `Firewall Allowlist: ${sourceName}`;
  const tag = sha256Hex(`firewall-allowlist\n${group}`).slice(0, 8);
  const keywords = new Map<string, string>();
  for (const rule of rules) for (const keyword of remoteKeywords(rule)) keywords.set(keyword, keywordId(tag, group, keyword));
  const sortedKeywords = [...keywords.keys()].sort();
  const names = objectNames(rules.map((rule) => rule.name), NAME_LIMITS);
  const rendered = rules.map((rule, index) => renderRule(rule, `FirewallAllowlist-${tag}-${names[index]}`, keywords, context));
  const firstWithNames = rules.find((rule) => remoteKeywords(rule).length > 0);
  if (firstWithNames) {
    context.warn(
      firstWithNames,
      `host names become AutoResolve dynamic keyword addresses (this note stands for every rule with host names): they fill only from the DNS answers this machine receives, and need ${KEYWORD_REQUIREMENTS}`,
      'note',
    );
  }

  const lines = [
    '#Requires -RunAsAdministrator',
    `# Firewall Allowlist export for Windows Defender Firewall, from ${sourceName}. Generated by \`allowlist export --target windows\`; do not edit.`,
    '# Runs on Windows PowerShell 5.1 as administrator. Re-running it replaces what it created before: the rules of the group',
    `# below and the dynamic keyword addresses whose id starts with {${tag}- are removed first, then created again.`,
    '#',
    '# Windows allows outbound traffic that no rule blocks: the outbound rules below only take effect once the default',
    '# outbound action is Block. The script changes that only when run with -BlockOtherOutbound (every profile); allow',
    '# DNS and what Windows itself needs first. To undo: Set-NetFirewallProfile -Profile Domain,Private,Public -DefaultOutboundAction Allow',
  ];
  if (sortedKeywords.length > 0) {
    lines.push(
      '#',
      '# Host names are AutoResolve dynamic keyword addresses, filled from the DNS answers this machine receives. They need',
      `# ${KEYWORD_REQUIREMENTS}.`,
      `# See ${DYNAMIC_KEYWORDS_DOC}`,
    );
  }
  lines.push(
    'param([switch]$BlockOtherOutbound)',
    '',
    "$ErrorActionPreference = 'Stop'",
    `$Group = ${psQuote(group)}`,
    `$KeywordTag = ${psQuote(tag)}`,
    `$UsesKeywords = $${sortedKeywords.length > 0}`,
    '',
  );
  lines.push(...preflight(), '');
  lines.push(
    '# Remove what an earlier run created: the rules of the group (compared exactly: -Group would read [ and * as a pattern),',
    '# then its keyword addresses (found by the tag their ids start with).',
    'Get-NetFirewallRule -PolicyStore PersistentStore -ErrorAction Stop | Where-Object { $_.Group -ceq $Group } | Remove-NetFirewallRule -ErrorAction Stop',
    "if (Get-Command Get-NetFirewallDynamicKeywordAddress -ErrorAction SilentlyContinue) {",
    "  Get-NetFirewallDynamicKeywordAddress -AllAutoResolve -ErrorAction SilentlyContinue | Where-Object { $_.Id.Trim('{}') -like \"$KeywordTag-*\" } | ForEach-Object { Remove-NetFirewallDynamicKeywordAddress -Id $_.Id -ErrorAction Stop }",
    '}',
    '',
  );
  if (sortedKeywords.length > 0) {
    lines.push('# Host names: one AutoResolve keyword address each, its GUID derived from the group and the name (stable across runs).');
    for (const keyword of sortedKeywords) {
      lines.push(`New-NetFirewallDynamicKeywordAddress -Id ${psQuote(keywords.get(keyword)!)} -Keyword ${psQuote(keyword)} -AutoResolve $true -ErrorAction Stop | Out-Null`);
    }
    lines.push('');
  }
  lines.push('# Rules');
  for (const { rule, firewallRules, leftOut } of rendered) {
    lines.push(`# ${visible(ruleComment(rule))} (line ${rule.line})${rule.expired ? `: expired on ${rule.expires}` : ''}`);
    if (leftOut) lines.push(`# left out: ${leftOut}`);
    for (const firewallRule of firewallRules) lines.push(newRuleCommand(firewallRule));
  }
  lines.push('', ...outboundDefault(), '');
  // The byte order mark makes Windows PowerShell 5.1 read the file as UTF-8 (without it, as the ANSI code page).
  return `\uFEFF${lines.join('\n')}`;
}

/** Checks that run before anything is removed: a Windows without dynamic keywords stops the script; a Defender
 * without network protection is a warning (the rules are created, the host names stay unresolved until it is on). */
function preflight(): string[] {
  return [
    "if ($UsesKeywords -and -not (Get-Command New-NetFirewallDynamicKeywordAddress -ErrorAction SilentlyContinue)) {",
    `  throw ${psQuote(`This Windows has no dynamic keyword addresses, which the host names of this allowlist need (${KEYWORD_REQUIREMENTS.split(';')[0]}). Nothing was changed.`)}`,
    '}',
    'if ($UsesKeywords) {',
    '  $NetworkProtection = $null',
    '  try { $NetworkProtection = (Get-MpPreference -ErrorAction Stop).EnableNetworkProtection } catch { }',
    '  if ($NetworkProtection -ne 1 -and $NetworkProtection -ne 2) {',
    `    Write-Warning ${psQuote('Microsoft Defender network protection is not in block or audit mode here: the host-name rules are created, but their addresses stay empty until it is turned on (Set-MpPreference -EnableNetworkProtection Enabled).')}`,
    '  }',
    '}',
  ];
}

function outboundDefault(): string[] {
  return [
    'if ($BlockOtherOutbound) {',
    "  Set-NetFirewallProfile -Profile 'Domain','Private','Public' -DefaultOutboundAction Block -ErrorAction Stop",
    `  Write-Warning ${psQuote('The default outbound action is now Block on every profile: only what a rule allows leaves this machine.')}`,
    '} else {',
    `  Write-Warning ${psQuote('The default outbound action was left as it is: unless it is Block, the outbound rules change nothing. Run again with -BlockOtherOutbound to block all other outbound traffic.')}`,
    '}',
  ];
}

/** Host names and wildcards on the remote side of a rule: `to` outbound; inbound sources cannot be names. */
function remoteKeywords(rule: ExportRule): string[] {
  if (rule.direction === 'inbound') return [];
  return [...rule.to.hosts, ...rule.to.wildcards.map((base) => `*.${base}`)];
}

const addressesOf = (side: ExportEndpoints) => [...side.ipv4, ...side.ipv6];
const hasNames = (side: ExportEndpoints) => side.hosts.length + side.wildcards.length > 0;

function renderRule(rule: ExportRule, name: string, keywords: Map<string, string>, context: RenderContext): RenderedRule {
  const outbound = rule.direction === 'outbound';
  const local = outbound ? rule.from : rule.to;
  const remote = outbound ? rule.to : rule.from;
  // This machine's own addresses (-LocalAddress) are IPs only. A local side named by host names only is left out
  // (that is wider: the rule applies whatever this machine's address); with IPs beside the names, the IPs stay.
  if (hasNames(local)) {
    const side = outbound ? 'from' : 'to';
    context.warn(
      rule,
      addressesOf(local).length > 0
        ? `Windows Firewall takes no host name as this machine's own address (-LocalAddress): only the IP addresses of ${side}: are kept; write the host's IP address in ${side}:`
        : `Windows Firewall takes no host name as this machine's own address (-LocalAddress): the rule applies whatever this machine's address is; run the script only on the hosts in ${side}:, or write their IP addresses there`,
    );
  }
  const localAddresses = local.any ? [] : addressesOf(local);
  const remoteAddresses = remote.any ? [] : addressesOf(remote);
  const keywordIds = remoteKeywords(rule).map((keyword) => keywords.get(keyword)!);
  // Inbound sources that are only names (the inboundFqdn limit warns): no rule rather than one open to every source.
  if (!outbound && !remote.any && remoteAddresses.length === 0) {
    return { rule, firewallRules: [], leftOut: 'its sources are host names only, which an inbound rule cannot take' };
  }
  const base = {
    displayName: `Allowlist: ${rule.name}`,
    description: ruleComment(rule),
    direction: outbound ? ('Outbound' as const) : ('Inbound' as const),
    localAddresses,
  };
  // Remote IPs and remote keyword addresses in rules of their own: each rule's remote side is then one documented
  // condition, and a rule whose names are not resolved yet never blocks the same rule's IP addresses.
  const remotes: { suffix: string; remoteAddresses: string[]; keywordIds: string[] }[] = [];
  if (remote.any || remoteAddresses.length > 0) remotes.push({ suffix: '', remoteAddresses, keywordIds: [] });
  if (keywordIds.length > 0) remotes.push({ suffix: remotes.length > 0 ? '.names' : '', remoteAddresses: [], keywordIds });
  const protocols: FirewallRule['protocol'][] =
    rule.protocol === 'tcp' ? ['TCP'] : rule.protocol === 'udp' ? ['UDP'] : rule.ports === 'any' ? [undefined] : ['TCP', 'UDP'];
  const ports = rule.ports === 'any' ? [] : rule.ports.map((span) => (span.from === span.to ? `${span.from}` : `${span.from}-${span.to}`));
  const firewallRules: FirewallRule[] = [];
  for (const target of remotes) {
    for (const protocol of protocols) {
      const protocolSuffix = protocols.length > 1 && protocol ? `.${protocol.toLowerCase()}` : '';
      const labels = [target.suffix && 'host names', protocolSuffix && protocol].filter(Boolean);
      firewallRules.push({
        ...base,
        name: `${name}${target.suffix}${protocolSuffix}`,
        displayName: labels.length > 0 ? `${base.displayName} (${labels.join(', ')})` : base.displayName,
        protocol,
        ports,
        remoteAddresses: target.remoteAddresses,
        keywordIds: target.keywordIds,
      });
    }
  }
  return { rule, firewallRules };
}

const list = (values: string[]) => values.map(psQuote).join(',');

/** One command on one line; every value from the file is a single-quoted string. */
function newRuleCommand(rule: FirewallRule): string {
  const parts = [
    'New-NetFirewallRule',
    `-Name ${psQuote(rule.name)}`,
    `-DisplayName ${psQuote(visible(rule.displayName))}`,
    `-Description ${psQuote(visible(rule.description))}`,
    '-Group $Group',
    `-Direction ${rule.direction}`,
    '-Action Allow',
  ];
  if (rule.protocol) parts.push(`-Protocol ${rule.protocol}`);
  if (rule.ports.length > 0) parts.push(`${rule.direction === 'Outbound' ? '-RemotePort' : '-LocalPort'} ${list(rule.ports)}`);
  if (rule.localAddresses.length > 0) parts.push(`-LocalAddress ${list(rule.localAddresses)}`);
  if (rule.remoteAddresses.length > 0) parts.push(`-RemoteAddress ${list(rule.remoteAddresses)}`);
  if (rule.keywordIds.length > 0) parts.push(`-RemoteDynamicKeywordAddresses ${list(rule.keywordIds)}`);
  parts.push('-ErrorAction Stop | Out-Null');
  return parts.join(' ');
}

/** A GUID for a keyword address that is the same on every run: the group's tag, then a SHA-256 of the group and the
 * host name, with the version and variant bits of a name-based UUID (RFC 9562 layout; not UUIDv5's SHA-1). */
function keywordId(tag: string, group: string, keyword: string): string {
  const hash = sha256Hex(`${group}\n${keyword}`);
  const variant = ((parseInt(hash[12], 16) & 0x3) | 0x8).toString(16);
  return `{${tag}-${hash.slice(0, 4)}-5${hash.slice(4, 7)}-${variant}${hash.slice(7, 10)}-${hash.slice(10, 22)}}`;
}
