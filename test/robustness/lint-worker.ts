/** Worker-thread side of `lintInWorker` (helpers.ts): lints the text it is given and posts back what the tests read. */
import { parentPort, workerData } from 'node:worker_threads';
import { lintText, type LintOptions } from '../../src/core/lint';

const { text, options } = workerData as { text: string; options: LintOptions };
const { findings, model } = lintText(text, options);
parentPort!.postMessage({ findings, ignores: model.ignores });
