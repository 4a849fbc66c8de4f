/** Test helpers the pfSense and OPNsense reader tests share: the export of an allowlist to either target reads back,
 * through the matching reader, to the same reach. */
import assert from 'node:assert/strict';
import { exportAllowlist, exportRules, targetById, type ExportEndpoints, type ExportFile } from '../../export';
import { lintText } from '../../lint';
import { parseAddress } from '../../parse';
import type { ImportedRule, ImportReader } from '../types';

/** One side's addresses as tokens; `any` for none. Wildcards are left out: neither target can express them. */
function exportedSide(side: ExportEndpoints): string[] {
  return side.any ? ['any'] : [...side.hosts, ...side.ipv4, ...side.ipv6];
}

const family = (address: string) => (address === 'any' ? 0 : parseAddress(address, { start: 0, end: 0 }).network?.family ?? 0);

/** (direction, from, to, protocol, port span) a rule allows; pairs of addresses of different families never match. */
function reach(direction: string, from: string[], to: string[], protocol: string, ports: string[]): Set<string> {
  const tuples = new Set<string>();
  for (const source of from) for (const destination of to) {
    const [a, b] = [family(source), family(destination)];
    if (a && b && a !== b) continue;
    for (const port of ports) tuples.add(`${direction} ${source} > ${destination} ${protocol} ${port}`);
  }
  return tuples;
}

function importedReach(rule: ImportedRule): Set<string> {
  const ports = rule.ports === 'any' ? ['any'] : rule.ports.map((port) => (typeof port === 'number' ? `${port}-${port}` : port));
  return reach(rule.direction, rule.from ?? ['any'], rule.to, rule.protocol, ports);
}

/** Exports the allowlist text to the reader's target, reads `readable(files)` back, and checks every rule's reach and
 * ticket (rules the export leaves out must stay out). Returns how many rules it compared. */
export function pfsenseFamilyRoundTrip(reader: ImportReader, text: string, fileName: string, readable: (files: ExportFile[]) => string): number {
  const model = lintText(text, { fileName }).model;
  const exported = exportAllowlist(model, targetById(reader.id)!, { sourceName: fileName, today: '2026-01-01' });
  const leftOut = new Set(exported.warnings.filter((warning) => /left out, because/.test(warning.message)).map((warning) => warning.rule));
  const { rules, problems } = reader.read(readable(exported.files), {});
  assert.deepEqual(problems, [], fileName);
  const imported = new Map(rules.map((rule) => [`${rule.direction} ${rule.name}`, rule]));
  let compared = 0;
  for (const original of exportRules(model, '2026-01-01')) {
    const key = `${original.direction} ${original.name}`;
    const back = imported.get(key);
    if (leftOut.has(original.name)) {
      assert.equal(back, undefined, key);
      continue;
    }
    assert.ok(back, `${fileName}: ${key} is missing after the round trip`);
    const ports = original.ports === 'any' ? ['any'] : original.ports.map((span) => `${span.from}-${span.to}`);
    assert.deepEqual(importedReach(back), reach(original.direction, exportedSide(original.from), exportedSide(original.to), original.protocol, ports), `${fileName}: ${key}`);
    assert.equal(back.ticket, original.ticket, key);
    compared++;
  }
  assert.equal(rules.length, compared, fileName);
  return compared;
}
