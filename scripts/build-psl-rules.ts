// Writes the Public Suffix List's rules from the installed psl package, in the form the engine looks them up in
// (`asciiRules`, src/core/common/psl-rules.ts), to src/core/common/generated/psl-rules.json: scripts/build.mjs copies
// it beside the Node bundles (dist/psl-rules.json) and builds it into the browser bundles. Run by generate.mjs:
//   node --import tsx scripts/build-psl-rules.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asciiRules, PSL_RULES_FILE, readPslPackageRules } from '../src/core/common/psl-rules';

const folder = join(__dirname, '..', 'src', 'core', 'common', 'generated');
mkdirSync(folder, { recursive: true });
writeFileSync(join(folder, PSL_RULES_FILE), JSON.stringify(asciiRules(readPslPackageRules())));
