// Opens the documented example from the Explorer and waits for the extension's diagnostics.
export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  const counts = await ui.waitForProblems((c) => c.errors + c.warnings > 0, 30_000);
  const rows = await ui.problems();
  if (rows.length === 0) throw new Error(`status bar shows ${JSON.stringify(counts)} but the Problems panel lists nothing`);
}
