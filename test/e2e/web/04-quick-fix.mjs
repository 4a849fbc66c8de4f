// Goes from the Problems panel to the missing-ports finding, applies its quick fix with Ctrl+. and sees the text
// change and the finding go (the other findings stay): the desktop scenario's steps, in the web worker's server.
import { fixMissingPortsFromProblems } from '../fixtures/contoso.mjs';

export async function run(ui) {
  await fixMissingPortsFromProblems(ui);
}
