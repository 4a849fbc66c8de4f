// Replaces the TechConnect rule's host with the first letters of it and completes the vendor's host from the catalog.
const LINE = '    to: connect.helpdeskbuttons.com';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  await ui.goToLine(42, 9); // start of `connect.helpdeskbuttons.com` in rule hdb-techconnect
  await ui.page.keyboard.press('Shift+End');
  await ui.page.keyboard.press('Delete');
  await ui.page.keyboard.insertText('conn');
  await ui.until(async () => (await ui.editorText()).includes('    to: conn\n'), 'the host replaced by "conn"');
  await ui.complete('connect.helpdeskbuttons.com');
  let text = '';
  await ui.until(async () => (text = await ui.editorText()).split('\n').includes(LINE),
    () => `the editor showing ${JSON.stringify(LINE)} after the completion (it shows:\n${text})`);
  await ui.shot('completed');
}
