// The web extension in the web worker extension host: the workbench runs extensions in a web worker (the iframe
// that hosts it), fetched the extension's `browser` entry and started its language server's worker script
// (never the Node entry), and the Problems panel lists the example's findings as the CLI prints them.
import { expectContosoProblems } from '../fixtures/contoso.mjs';

export async function run(ui) {
  await ui.openFile('contoso.allowlist.yaml');
  await ui.waitForProblems((c) => c.errors + c.warnings >= 5);
  const hostFrames = ui.page.frames().filter((f) => f.url().includes('/webWorkerExtensionHostIframe.html'));
  if (hostFrames.length !== 1) throw new Error(`expected one web worker extension host, found frames ${JSON.stringify(ui.page.frames().map((f) => f.url()))}`);
  for (const file of ['dist/browser/extension.js', 'dist/browser/server.js']) {
    if (!ui.fetched.includes(file)) throw new Error(`the workbench did not load ${file} (it fetched ${JSON.stringify(ui.fetched)})`);
  }
  if (ui.fetched.some((f) => /^dist\/(extension|server)\.js$/.test(f))) throw new Error(`the Node entry was fetched: ${JSON.stringify(ui.fetched)}`);
  expectContosoProblems(await ui.problems());
}
