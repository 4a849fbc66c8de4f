import { addExclusion } from '../edits';
import { matchExclusion, recommendedExclusions } from './exclusion-path';
import type { LintRule } from './rule';

export const missingExclusion: LintRule = {
  meta: {
    id: 'missing-exclusion',
    defaultSeverity: 'warning',
    description:
      "A declared vendor recommends excluding a folder from anti-virus scanning (Helpdesk Buttons: its installation folder), and `endpoint-protection.exclusions` does not list it. Anti-virus interference with a vendor's agent shows up as intermittent, hard-to-trace failures on single PCs; writing the exclusion down in the allowlist is how an MSP makes sure every site's endpoint-protection policy gets it. Paths compare as Windows does: case-insensitively, ignoring a trailing backslash. A path that nearly matches is reported by `exclusion-path` instead.",
    example: "vendors:\n  helpdesk-buttons: {}\nendpoint-protection:\n  products: [webroot]\n  exclusions: []   # C:\\Program Files (x86)\\Helpdesk Button missing",
  },
  checkFile(model, context, report) {
    const section = model.endpointProtection;
    const configured = section?.exclusions ?? [];
    for (const { catalog, exclusion, vendorRange } of recommendedExclusions(context)) {
      const matches = configured.map((c) => matchExclusion(c.path.value, exclusion));
      if (matches.includes('same') || matches.includes('near')) continue; // present, or a near miss (exclusion-path)
      const edit = addExclusion(model, exclusion.path);
      report({
        message:
          `${catalog.name} recommends excluding ${exclusion.role}, "${exclusion.path}", from anti-virus scanning (${exclusion.source.url}), ` +
          `but endpoint-protection.exclusions does not list it. Add it, and configure it in the site's endpoint-protection products.`,
        range: section?.keyRange ?? vendorRange,
        subject: `vendor:${catalog.id}:exclusion:${exclusion.id}`,
        fixes: edit ? [{ title: `Add the exclusion ${exclusion.path}`, edits: [edit], preferred: true }] : [],
      });
    }
  },
};
