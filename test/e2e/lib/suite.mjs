// What the UI runner (run-e2e.mjs, code-server) and the browser runner (run-web.mjs, VS Code for the web) share: one
// scenario run on its page, and the suite around the scenarios with its `N passed, N failed` line.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshOutDir, lap } from './paths.mjs';
import { cleanup } from './cleanup.mjs';

/**
 * Runs one scenario (its module exports `async run(ui)` and throws on failure): opens `url`, waits for the workbench,
 * runs it within `timeoutSeconds`, fails it when an error shows on screen, and screenshots its end (or `FAILED`).
 * Prints `PASS name (Ns)` or `FAIL name (Ns): why`; `close` runs last, whatever happened. True when it passed.
 */
export async function runScenario({ file, scenarioDir, ui, url, timeoutSeconds, close }) {
  const name = file.replace(/\.mjs$/, '');
  const t0 = Date.now();
  let error;
  try {
    const { run } = await import(pathToFileURL(path.join(scenarioDir, file)).href);
    await ui.page.goto(url);
    await ui.waitForWorkbench();
    const timer = new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutSeconds} s`)), timeoutSeconds * 1000).unref());
    await Promise.race([run(ui), timer]);
    const onScreen = await ui.errorUi();
    if (onScreen.length) throw new Error(`the screen shows ${onScreen.join('; ')}`);
    await ui.shot('end');
  } catch (e) {
    error = e;
    await ui.shot('FAILED').catch(() => {});
  } finally {
    await close();
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (error) console.log(`FAIL ${name} (${secs}s): ${error.message.split('\n').join('\n     ')}`);
  else console.log(`PASS ${name} (${secs}s)`);
  return !error;
}

/**
 * The suite: `prepare({ outDir, shots })` builds and starts what the scenarios need and returns how to run one
 * (`(file) => Promise<boolean>`); every scenario runs in turn, then the tools are stopped (`stopped` is logged when
 * any were) and the last line is exactly `N passed, N failed` (the exit code 1 when any failed).
 */
export async function runSuite({ scenarios, scenarioDir, filter, outName, prepare, stopped }) {
  let passed = 0;
  let failed = 0;
  try {
    if (scenarios.length === 0) throw new Error(`no scenarios in ${scenarioDir}${filter ? ` matching "${filter}"` : ''}`);
    const outDir = freshOutDir(outName);
    const shots = { dir: path.join(outDir, 'screenshots'), n: 0 };
    fs.mkdirSync(shots.dir);
    const runOne = await prepare({ outDir, shots });
    for (const file of scenarios) {
      if (await runOne(file)) passed++;
      else failed++;
    }
    lap(`screenshots in ${path.relative(process.cwd(), shots.dir)}`);
  } catch (e) {
    console.error(e.status !== undefined ? e.message : e.stack ?? e); // a failed child command already printed its output
    failed = Math.max(scenarios.length - passed, 1);
  } finally {
    if (await cleanup()) lap(stopped);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
