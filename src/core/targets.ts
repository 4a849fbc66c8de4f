/** Turns an allowlist's rules into the endpoints the probe engine tests: one target per rule and
 * destination, with the catalog's TLS ports and the vendor's published sources for inbound rules. */
import { readFile } from 'node:fs/promises';
import type { CatalogSet } from './catalog/types';
import { defaultCatalogSet } from './engine';
import { parseAllowlist } from './parse';
import type { AllowlistModel, AllowRule } from './model';
import { mergeSpans } from './ports';
import type { ProbeTarget } from './probe/types';

export function probeTargets(model: AllowlistModel, catalogs: CatalogSet = defaultCatalogSet()): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const rule of [...model.outbound, ...model.inbound]) {
    const name = rule.name?.value ?? `${rule.direction} #${rule.index + 1}`;
    const ports = rule.ports?.any ? [] : mergeSpans(rule.ports?.spans ?? []);
    for (const address of rule.to?.addresses ?? []) {
      if (address.kind === 'invalid') continue;
      const host = address.kind === 'wildcard' ? address.text.trim() : (address.host ?? address.network?.canonical ?? address.text.trim());
      targets.push({
        rule: name,
        direction: rule.direction,
        host,
        ports,
        protocol: rule.protocol.value,
        tlsPorts: tlsPortsFor(address.host, catalogs),
        sources: rule.direction === 'inbound' ? sourcesOf(rule) : undefined,
      });
    }
  }
  return targets;
}

function tlsPortsFor(host: string | undefined, catalogs: CatalogSet): number[] | undefined {
  const ports = (host ? catalogs.endpointsByHost.get(host) : undefined)?.flatMap(({ endpoint }) => endpoint.tlsPorts ?? []) ?? [];
  return ports.length > 0 ? [...new Set(ports)] : undefined;
}

function sourcesOf(rule: AllowRule): string[] {
  return (rule.from?.addresses ?? []).map((address) => address.network?.canonical ?? address.text);
}

/** Reads and parses an allowlist file into probe targets (the CLI's `probe` and `probe-script`). */
export async function probeTargetsFromFile(path: string, catalogs?: CatalogSet): Promise<ProbeTarget[]> {
  const text = await readFile(path, 'utf8');
  const { model } = parseAllowlist(text, { fileName: path });
  if (model.kind !== 'allowlist') throw new Error(`${path} is not an allowlist (no top-level \`allowlist: 1\`)`);
  return probeTargets(model, catalogs);
}
