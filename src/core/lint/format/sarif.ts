/** SARIF 2.1.0 output for GitHub code scanning and other SARIF viewers. Pure: results in, log out.
 * Locations are relative to the repository root (`%SRCROOT%`), 1-based, in UTF-16 code units; each result
 * carries a fingerprint of what it is about (the finding's `subject`), so an alert survives lines moving. */
import { type Finding, ruleDocUrl, type RuleMeta, safeJson, type Severity, sha256Hex } from '../../common';
import { linesOf, locate, slashes, type FileReport, type LintReport } from './types';
import { type LintRule, rules as allRules } from '../rules';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'allowlist';
export const TOOL_INFORMATION_URI = 'https://github.com/firewall-allowlist/firewall-allowlist';
/** The key of our partial fingerprint; bump the version if the hashed text ever changes. */
export const FINGERPRINT_KEY = 'allowlistSubject/v1';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: Level };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: ArtifactLocation; region: SarifRegion } }[];
  partialFingerprints: Record<string, string>;
  fixes?: {
    description: { text: string };
    artifactChanges: { artifactLocation: ArtifactLocation; replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[] }[];
  }[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifReportingDescriptor[] } };
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

export interface SarifOptions {
  /** Rule metadata for `rules[]`; defaults to every registered rule. */
  rules?: RuleMeta[];
}

export function buildSarif(report: LintReport, options: SarifOptions = {}): SarifLog {
  const metas = options.rules ?? allRules.map((rule: LintRule) => rule.meta);
  const descriptors = metas.map(descriptor);
  const indexById = new Map(descriptors.map((d, index) => [d.id, index]));
  const ruleIndex = (ruleId: string, severity: Severity): number => {
    let index = indexById.get(ruleId);
    if (index === undefined) {
      // A finding from outside the rule registry (e.g. catalog checks): describe it so ruleIndex stays valid.
      index = descriptors.push(unregisteredDescriptor(ruleId, severity)) - 1;
      indexById.set(ruleId, index);
    }
    return index;
  };
  const results: SarifResult[] = [];
  for (const file of report.files) {
    for (const finding of file.findings) results.push(result(file, finding, ruleIndex(finding.ruleId, finding.severity)));
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: TOOL_NAME, version: report.toolVersion, semanticVersion: report.toolVersion, informationUri: TOOL_INFORMATION_URI, rules: descriptors },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(report: LintReport, options: SarifOptions = {}): string {
  return `${safeJson(JSON.stringify(buildSarif(report, options), null, 2))}\n`;
}

function descriptor(meta: RuleMeta): SarifReportingDescriptor {
  const example = meta.example ? `\n\nExample:\n\n${indent(meta.example)}` : '';
  const markdownExample = meta.example ? `\n\nExample:\n\n\`\`\`yaml\n${meta.example}\n\`\`\`` : '';
  const docs = `\n\nDocumentation: ${ruleDocUrl(meta.id)}`;
  return {
    id: meta.id,
    name: camelName(meta.id),
    shortDescription: { text: firstSentence(meta.description) },
    fullDescription: { text: meta.description },
    help: { text: `${meta.description}${example}${docs}`, markdown: `${meta.description}${markdownExample}\n\n[Documentation](${ruleDocUrl(meta.id)})` },
    helpUri: ruleDocUrl(meta.id),
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
  };
}

function unregisteredDescriptor(ruleId: string, severity: Severity): SarifReportingDescriptor {
  const text = `Findings reported as "${ruleId}".`;
  return {
    id: ruleId,
    name: camelName(ruleId),
    shortDescription: { text },
    fullDescription: { text },
    help: { text, markdown: text },
    defaultConfiguration: { level: LEVEL[severity] },
  };
}

function result(file: FileReport, finding: Finding, index: number): SarifResult {
  const lines = linesOf(file);
  const artifactLocation = artifactLocationOf(file);
  const at = locate(lines, finding.range);
  const region = (range: Finding['range']): SarifRegion => {
    const l = locate(lines, range);
    return { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn };
  };
  const sarif: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex: index,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation,
          region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding) },
  };
  if (finding.fixes && finding.fixes.length > 0) {
    sarif.fixes = finding.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation,
          replacements: fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
        },
      ],
    }));
  }
  return sarif;
}

/** Relative to `%SRCROOT%` (the repository root); a file outside it keeps its absolute `file:` URI. */
export function artifactLocationOf(file: FileReport): ArtifactLocation {
  const uri = file.uri ?? file.path;
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) && !/^[a-z]:[\\/]/i.test(uri)) return { uri };
  return { uri: relativeUri(uri), uriBaseId: '%SRCROOT%' };
}

/** A relative URI reference: forward slashes, each segment percent-encoded (spaces, `#`, `%`, ...). */
export function relativeUri(path: string): string {
  return slashes(path)
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** Stable across line moves and edits elsewhere: the rule and what the finding is about, not where. */
export function fingerprint(finding: Pick<Finding, 'ruleId' | 'subject'>): string {
  return sha256Hex(`${finding.ruleId}\n${finding.subject}`).slice(0, 32);
}

export function firstSentence(text: string): string {
  // A sentence ends at . ! or ? before a capital (or the end): "e.g. a" does not end one.
  const match = /^(.+?[.!?])(?=\s+[A-Z`"(]|\s*$)/s.exec(text.trim());
  return (match ? match[1] : text.trim()).replace(/\s+/g, ' ');
}

function camelName(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, ch: string) => ch.toUpperCase()).replace(/^[a-z]/, (ch) => ch.toUpperCase());
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
