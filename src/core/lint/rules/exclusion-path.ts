import type { Catalog, CatalogExclusion } from '../../catalog';
import { singleQuoted } from '../edits';
import type { Exclusion } from '../../parse';
import { editDistance, quoted, type Range } from '../../common';
import type { LintRule, RuleContext } from './rule';

/** A path as the file system compares it: Windows paths case-insensitively, without a trailing separator. */
export function samePath(platform: CatalogExclusion['platform'], path: string): string {
  const trimmed = path.trim();
  return platform === 'windows' ? trimmed.replace(/\\+$/, '').toLowerCase() : trimmed.replace(/\/+$/, '');
}

/** A looser form for near misses: separators unified and doubled ones collapsed, all spaces removed. */
function squashed(platform: CatalogExclusion['platform'], path: string): string {
  const base = platform === 'windows' ? samePath(platform, path).replace(/\//g, '\\').replace(/\\{2,}/g, '\\') : samePath(platform, path).replace(/\/{2,}/g, '/');
  return base.replace(/\s+/g, '');
}

/** How a configured path relates to a catalog exclusion: the same folder, a near miss (a spelling the
 * vendor's text has, or a small typo), or unrelated. */
export function matchExclusion(path: string, exclusion: CatalogExclusion): 'same' | 'near' | undefined {
  const { platform } = exclusion;
  const written = samePath(platform, path);
  if (written === samePath(platform, exclusion.path)) return 'same';
  if ((exclusion.seenSpellings ?? []).some((spelling) => samePath(platform, spelling) === written)) return 'near';
  const a = squashed(platform, path);
  const b = squashed(platform, exclusion.path);
  if (a === b) return 'near';
  return editDistance(written, samePath(platform, exclusion.path), 2) <= 2 ? 'near' : undefined;
}

/** Recommended exclusions of the declared vendors with loaded catalogs. */
export function recommendedExclusions(context: RuleContext): { catalog: Catalog; exclusion: CatalogExclusion; vendorRange: Range }[] {
  const found: { catalog: Catalog; exclusion: CatalogExclusion; vendorRange: Range }[] = [];
  for (const use of context.vendors.values()) {
    for (const exclusion of use.catalog?.exclusions ?? []) if (exclusion.recommended) found.push({ catalog: use.catalog!, exclusion, vendorRange: use.decl.range });
  }
  return found;
}

/** The configured exclusions that nearly match a recommended one, with the one they meant. */
export function nearMisses(exclusions: Exclusion[], context: RuleContext): { configured: Exclusion; catalog: Catalog; exclusion: CatalogExclusion }[] {
  const recommended = recommendedExclusions(context);
  const found: { configured: Exclusion; catalog: Catalog; exclusion: CatalogExclusion }[] = [];
  for (const configured of exclusions) {
    const matches = recommended.map((r) => ({ ...r, match: matchExclusion(configured.path.value, r.exclusion) }));
    if (matches.some((m) => m.match === 'same')) continue;
    const near = matches.find((m) => m.match === 'near');
    if (near) found.push({ configured, catalog: near.catalog, exclusion: near.exclusion });
  }
  return found;
}

export const exclusionPath: LintRule = {
  meta: {
    id: 'exclusion-path',
    defaultSeverity: 'warning',
    description:
      "An anti-virus exclusion whose path nearly matches a folder a declared vendor recommends excluding — a spelling from the vendor's own page (Helpdesk Buttons writes \"C:\\Program Files(x86)\\Helpdesk Button\", without the space the real folder has), a space, a doubled or forward slash, or a one-letter typo — excludes a folder that does not exist. The product keeps scanning the real folder, and the exclusion looks done in every review. The rule names the real folder and offers to replace the path.",
    example: "vendors:\n  helpdesk-buttons: {}\nendpoint-protection:\n  exclusions:\n    - path: 'C:\\Program Files(x86)\\Helpdesk Button'   # no space before (x86)",
  },
  checkFile(model, context, report) {
    const exclusions = model.endpointProtection?.exclusions ?? [];
    if (exclusions.length === 0) return;
    for (const { configured, catalog, exclusion } of nearMisses(exclusions, context)) {
      const seen = (exclusion.seenSpellings ?? []).some((spelling) => samePath(exclusion.platform, spelling) === samePath(exclusion.platform, configured.path.value));
      report({
        message:
          `${quoted(configured.path.value)} is not ${exclusion.role} that ${catalog.name} recommends excluding: the real folder is "${exclusion.path}"` +
          (seen && exclusion.note ? ` (${exclusion.note.replace(/\.$/, '')})` : '') +
          `. An exclusion for a path that does not exist excludes nothing; replace it with "${exclusion.path}".`,
        range: configured.path.range,
        subject: `vendor:${catalog.id}:exclusion-path:${exclusion.id}`,
        fixes: [{ title: `Replace with ${exclusion.path}`, edits: [{ range: configured.path.range, newText: singleQuoted(exclusion.path) }], preferred: true }],
      });
    }
  },
};
