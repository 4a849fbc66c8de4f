// Hovers the TechConnect host in the example and reads the vendor catalog's words for it (the built-in catalog,
// bundled into the web worker's server).
export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5); // the server has linted the file
  await ui.goToLine(42, 9); // `    to: connect.helpdeskbuttons.com` in rule hdb-techconnect
  const text = await ui.hover('connect.helpdeskbuttons.com', /request slot for TechConnect/);
  if (!/request slot for TechConnect/.test(text)) throw new Error(`the hover does not give the host's role:\n${text}`);
  if (!/Helpdesk Buttons/.test(text)) throw new Error(`the hover does not name the vendor:\n${text}`);
}
