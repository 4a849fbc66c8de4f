// extensionTestsPath module: VS Code loads it inside the real extension host and awaits run().
// run-integration.mjs bundles it next to the *.test.js files it runs; `mocha` resolves from
// test/e2e/.tools through a node_modules link beside the bundle, so tests and runner share one instance.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

// The driver picks mocha's lines out of the workbench log by this tag.
Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log('[mocha] ' + util.format(...args));

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js') && !f.startsWith('node_modules'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
