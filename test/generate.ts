/** A deterministic generator of realistic allowlists, for benchmarks and property-based tests: the same
 * seed and size always give the same text. The mix follows what real firewall-as-code files hold:
 * hostnames, `*.` wildcards, IPv4/IPv6 addresses and CIDRs, single ports, port lists and ranges, UDP and
 * `any`, outbound and inbound rules, rules for a catalog vendor (Helpdesk Buttons, with every host its
 * catalog requires) and for other vendors, tickets, owners and expiry dates. About 230 bytes a rule. */

export interface GenerateOptions {
  /** Number of rule items (outbound and inbound together). */
  rules: number;
  /** Seed of the pseudo-random generator; default 1. */
  seed?: number;
  /** Share of inbound rules, 0..1; default 0.1. */
  inboundShare?: number;
  /** Write `outbound:` and `inbound:` as flow sequences of flow mappings (`outbound: [{name: a, ...}, ...]`): most
   * items on one line, some over two (with a comment in between), comments after some items; default false. */
  flow?: boolean;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. Returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The hosts the Helpdesk Buttons catalog requires (cloud ticket system), so `missing-endpoint` stays quiet. */
const HDB_RULES = [
  { name: 'hdb-getconf', to: 'flu1pjyrr2.execute-api.us-east-1.amazonaws.com', ports: '443', description: 'Helpdesk Buttons: getconf, submit basic ticket data' },
  { name: 'hdb-gatekeeper', to: 'kdwq222yo3.execute-api.us-east-1.amazonaws.com', ports: '443', description: 'Helpdesk Buttons: gatekeeper' },
  { name: 'hdb-plugins', to: 'e4rz8vlrg0.execute-api.us-east-1.amazonaws.com', ports: '443', description: 'Helpdesk Buttons: plugins (auto update, T2terminal)' },
  { name: 'hdb-uploads', to: 'hdb-stuff.s3.amazonaws.com', ports: '443', description: 'Helpdesk Buttons: upload diagnostic data and images' },
  { name: 'hdb-techconnect', to: 'connect.helpdeskbuttons.com', ports: '[443, "2001-2500"]', description: 'Helpdesk Buttons: TechConnect remote sessions' },
];

const OTHER_VENDORS = ['acme-backup', 'contoso-voip', 'fabrikam-rmm', 'northwind-pos', 'tailspin-edr', 'woodgrove-bank', 'litware-cad', 'adatum-dicom'];
const WORDS = ['api', 'updates', 'telemetry', 'sync', 'portal', 'relay', 'mail', 'backup', 'license', 'cdn', 'auth', 'files', 'metrics', 'push', 'voice', 'video', 'ntp', 'dns', 'print', 'vpn'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'contoso.example', 'fabrikam.example', 'cloudvendor.example', 'saas-tools.example', 'globalcdn.example'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ca-central-1'];
const OWNERS = ['it@contoso.example', 'netops@contoso.example', 'security@contoso.example', 'msp-team@fabrikam.example'];
const TEAMS = ['front desk', 'imaging', 'billing', 'IT', 'radiology', 'accounting', 'reception', 'lab'];
const PURPOSES = ['client software updates', 'license check', 'cloud backup upload', 'remote support sessions', 'telemetry and crash reports', 'VoIP signalling', 'payment terminal', 'e-mail relay', 'time sync', 'imaging archive'];

export function generateAllowlist(options: GenerateOptions): string {
  const random = seededRandom(options.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const int = (from: number, to: number): number => from + Math.floor(random() * (to - from + 1));
  const total = Math.max(0, Math.floor(options.rules));
  const inboundCount = total === 0 ? 0 : Math.min(total - Math.min(total, HDB_RULES.length), Math.round(total * (options.inboundShare ?? 0.1)));
  const outboundCount = total - inboundCount;

  const lines: string[] = [
    '# yaml-language-server: $schema=../schemas/allowlist.schema.json',
    'allowlist: 1',
    `site: Generated site ${options.seed ?? 1} (${total} rules)`,
    'description: >-',
    '  A generated allowlist for benchmarks and tests: a realistic mix of hostnames, wildcards, addresses,',
    '  networks, port lists and ranges, outbound and inbound rules.',
    'vendors:',
    '  helpdesk-buttons: { ticket-system: cloud }',
    'endpoint-protection:',
    '  products: [webroot]',
    '  exclusions:',
    '    - path: C:\\Program Files (x86)\\Helpdesk Button',
  ];

  const hostname = (): string => {
    switch (int(0, 3)) {
      case 0:
        return `${pick(WORDS)}-${int(1, 999)}.${pick(DOMAINS)}`;
      case 1:
        return `${pick(WORDS)}.${pick(REGIONS)}.${pick(OTHER_VENDORS)}.${pick(DOMAINS)}`;
      case 2:
        return `${pick(WORDS)}${int(1, 99)}.${pick(WORDS)}.${pick(DOMAINS)}`;
      default:
        return `${pick(WORDS)}-${pick(REGIONS)}-${int(1000, 99999)}.${pick(DOMAINS)}`;
    }
  };
  const publicIp = (): string => `${pick([20, 23, 34, 35, 40, 52, 104, 151, 185, 198])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const address = (): string => {
    const roll = random();
    if (roll < 0.5) return hostname();
    if (roll < 0.65) return `"*.${pick(WORDS)}.${pick(DOMAINS)}"`;
    if (roll < 0.8) return publicIp();
    if (roll < 0.92) return `${pick([20, 34, 40, 52, 104, 185])}.${int(0, 255)}.${int(0, 255) & 0xf0}.0/${pick([20, 24, 28])}`;
    return `"2001:db8:${int(0, 0xffff).toString(16)}::${int(1, 0xffff).toString(16)}"`;
  };
  const addresses = (max: number): string => {
    const count = random() < 0.6 ? 1 : int(2, max);
    const list = Array.from({ length: count }, address);
    return count === 1 ? list[0] : `[${list.join(', ')}]`;
  };
  const ports = (): string => {
    const roll = random();
    if (roll < 0.45) return String(pick([443, 443, 443, 80, 22, 25, 53, 123, 389, 636, 993, 3389, 5060, 8080, 8443]));
    if (roll < 0.75) return `[${Array.from({ length: int(2, 4) }, () => pick([80, 443, 8080, 8443, 5061, 5222, 9443])).filter((p, i, all) => all.indexOf(p) === i).join(', ')}]`;
    if (roll < 0.93) {
      const from = int(1024, 60000);
      return `"${from}-${from + int(1, 500)}"`;
    }
    const from = int(10000, 20000);
    return `[443, "${from}-${from + int(10, 2000)}"]`;
  };
  const extras = (index: number, out: string[]): void => {
    if (random() < 0.6) out.push(`    ticket: CHG-${10000 + index}`);
    if (random() < 0.5) out.push(`    owner: ${pick(OWNERS)}`);
    if (random() < 0.15) out.push(`    expires: "20${int(27, 30)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}"`);
  };

  /** A section's items, each as lines `  - key: value` / `    key: value`: as they are, or as one flow sequence. */
  const pushItems = (key: string, items: string[][]): void => {
    if (!options.flow) {
      lines.push(`${key}:`);
      for (const item of items) lines.push(...item);
      return;
    }
    lines.push(`${key}: [`);
    items.forEach((item, at) => {
      const pairs = item.map((line) => {
        const [, name, value] = /^ {2}(?:- | {2})([a-z]+): (.*)$/.exec(line)!;
        // Descriptions hold commas: quoted, or they would end the mapping's entry.
        return `${name}: ${name === 'description' && !value.startsWith('"') ? `"${value}"` : value}`;
      });
      const close = at === items.length - 1 ? '}]' : '},';
      const comment = random() < 0.2 ? '  # reviewed' : '';
      if (pairs.length > 2 && random() < 0.3) {
        lines.push(`  {${pairs.slice(0, 2).join(', ')},  # split here`, `    ${pairs.slice(2).join(', ')}${close}${comment}`);
      } else {
        lines.push(`  {${pairs.join(', ')}${close}${comment}`);
      }
    });
  };

  const outboundItems: string[][] = [];
  if (outboundCount === 0) lines.push('outbound: []');
  for (let index = 0; index < outboundCount; index++) {
    const out: string[] = [];
    const hdb = HDB_RULES[index];
    if (hdb) {
      out.push(`  - name: ${hdb.name}`, `    description: "${hdb.description}"`, '    vendor: helpdesk-buttons', `    to: ${hdb.to}`, `    ports: ${hdb.ports}`);
    } else {
      const vendor = random() < 0.35 ? pick(OTHER_VENDORS) : undefined;
      out.push(`  - name: ${vendor ?? pick(WORDS)}-${pick(WORDS)}-${String(index).padStart(5, '0')}`);
      out.push(`    description: ${vendor ? `${vendor} ` : ''}${pick(PURPOSES)} (${pick(REGIONS)}), asked for by ${pick(TEAMS)}`);
      if (vendor) out.push(`    vendor: ${vendor}`);
      if (random() < 0.15) out.push(`    from: ${pick(['10.0.0.0/24', '10.0.1.0/24', '10.0.0.21', '[10.0.0.21, 10.0.0.22]', '192.168.10.0/24'])}`);
      out.push(`    to: ${addresses(3)}`);
      out.push(`    ports: ${ports()}`);
      const protocol = random();
      if (protocol < 0.12) out.push('    protocol: udp');
      else if (protocol < 0.15) out.push('    protocol: any');
      extras(index, out);
    }
    outboundItems.push(out);
  }
  if (outboundCount > 0) pushItems('outbound', outboundItems);
  if (inboundCount > 0) {
    const inboundItems: string[][] = [];
    for (let index = 0; index < inboundCount; index++) {
      const out: string[] = [];
      out.push(`  - name: in-${pick(WORDS)}-${String(index).padStart(5, '0')}`);
      out.push(`    description: inbound ${pick(PURPOSES)} from ${pick(OTHER_VENDORS)}, asked for by ${pick(TEAMS)}`);
      out.push(`    from: [${Array.from({ length: int(1, 3) }, publicIp).join(', ')}]`);
      out.push(`    to: 10.0.${int(0, 9)}.${int(2, 250)}`);
      out.push(`    ports: ${pick(['443', '22', '3389', '[80, 443]', '"5060-5080"', '8443'])}`);
      if (random() < 0.1) out.push('    protocol: udp');
      extras(index, out);
      inboundItems.push(out);
    }
    pushItems('inbound', inboundItems);
  }
  return `${lines.join('\n')}\n`;
}

export interface IgnoreCommentsOptions {
  /** Comment lines stacked above one code line. */
  stacked: number;
  /** Rule items after it, each with one comment line and one trailing comment. */
  items: number;
}

/** An allowlist of ignore comments in the shapes that once took time in the square of their number: a run of
 * `stacked` comment lines above one `to:` line, alternating between its two findings' rules (invalid-address and
 * wildcard-too-broad), then `items` rule items whose `to:` line has one comment above it and one trailing it. Each
 * finding is silenced, and every stacked comment but the last of its rule silences nothing: `stacked - 2`
 * ignore-comment findings, on lines 4 to `stacked + 1`, and no other finding. */
export function generateIgnoreComments(options: IgnoreCommentsOptions): string {
  const to = '    to: [10.0.0.256, "*.com"]';
  const lines = ['allowlist: 1', 'outbound:', '  - name: stacked'];
  for (let index = 0; index < options.stacked; index++) lines.push(`    # allowlist-ignore ${index % 2 === 0 ? 'invalid-address' : 'wildcard-too-broad'}: lab`);
  lines.push(to, '    ports: 443');
  for (let index = 0; index < options.items; index++) {
    lines.push(`  - name: item-${index}`, '    # allowlist-ignore invalid-address: lab', `${to}  # allowlist-ignore wildcard-too-broad: lab`, '    ports: 443');
  }
  return `${lines.join('\n')}\n`;
}

/** Rules in `manySourcesAllowlist`: all to one host from distinct sources, none covering another. */
export const MANY_SOURCES_RULES = 35_000;

/** A worst case for `shadowed-rule` (issue 9): every rule shares its `to` with every other; only the sources
 * differ. Four rules at the end: a subnet, a host inside an earlier source, a narrower subnet, another port. */
export function manySourcesAllowlist(): string {
  const lines = ['allowlist: 1', 'outbound:'];
  const source = (i: number) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;
  for (let i = 0; i < MANY_SOURCES_RULES; i++) lines.push(`  - name: r${i}`, `    from: ${source(i)}`, '    to: api.example.com', '    ports: 443');
  lines.push('  - name: subnet', '    from: 10.0.0.0/24', '    to: api.example.com', '    ports: [443, 8443]');
  lines.push('  - name: covered-source', `    from: ${source(12_345)}`, '    to: api.example.com', '    ports: 443');
  lines.push('  - name: covered-by-subnet', '    from: 10.0.0.0/25', '    to: api.example.com', '    ports: 8443');
  lines.push('  - name: not-covered', '    from: 10.0.1.0/24', '    to: api.example.com', '    ports: 8443');
  return `${lines.join('\n')}\n`;
}

/** Rules in `oneLineFlowAllowlist`, besides the duplicate at its end. */
export const ONE_LINE_FLOW_RULES = 99_000;

/** A worst case for the layout scan and the parse (issue 9): every rule in one flow sequence on one line of
 * 4.9 MiB (under the 5 MiB limit), ending with a duplicate of rule 777 named `again`. */
export function oneLineFlowAllowlist(): string {
  const items: string[] = [];
  for (let i = 0; i < ONE_LINE_FLOW_RULES; i++) items.push(`{name: r${i}, to: h${i}.example.com, ports: 443}`);
  items.push('{name: again, to: h777.example.com, ports: 443}');
  return `allowlist: 1\noutbound: [${items.join(', ')}]\n`;
}

/** A FortiGate configuration whose allowlist is over the linter's limit (about 5.3 MB) though the configuration is
 * 0.4 MB: one group of 4,500 addresses used by 100 outbound policies (the import expands groups in each policy), and
 * an inbound policy named `backdoor` that opens every LAN host to the internet on 443. */
export function fortigateLargeGroup(): string {
  const lines = ['config firewall address'];
  const members: string[] = [];
  for (let i = 0; i < 4500; i++) {
    members.push(`"host-${i}"`);
    // Odd last octets: no two addresses merge into a network.
    lines.push(`    edit "host-${i}"`, `        set subnet 10.1.${Math.floor(i / 100)}.${(i % 100) * 2 + 1} 255.255.255.255`, '    next');
  }
  lines.push('end', 'config firewall addrgrp', '    edit "servers"', `        set member ${members.join(' ')}`, '    next', 'end');
  lines.push('config firewall service custom', '    edit "HTTPS"', '        set tcp-portrange 443', '    next', 'end', 'config firewall policy');
  const policy = (id: number, name: string, [srcintf, dstintf]: string[], dstaddr: string) =>
    [`    edit ${id}`, `        set name "${name}"`, `        set srcintf "${srcintf}"`, `        set dstintf "${dstintf}"`, '        set action accept', '        set srcaddr "all"', `        set dstaddr "${dstaddr}"`, '        set schedule "always"', '        set service "HTTPS"', '    next'];
  for (let id = 1; id <= 100; id++) lines.push(...policy(id, `servers-${id}`, ['internal', 'wan1'], 'servers'));
  lines.push(...policy(101, 'backdoor', ['wan1', 'internal'], 'all'), 'end');
  return `${lines.join('\n')}\n`;
}
