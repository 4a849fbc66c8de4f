// Opens the documented example from the Explorer and reads the Problems panel: the findings the CLI
// prints for it (`allowlist lint examples/`), each with its rule id and line.
import { expectContosoProblems } from '../fixtures/contoso.mjs';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  const rows = await ui.problems();
  expectContosoProblems(rows);
}
