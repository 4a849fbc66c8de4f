/** A worker thread of `allowlist lint` (bundled as dist/lint-worker.js; see lint-files.ts): it takes the next file
 * from the shared counter, lints it as the main thread would, and sends its outcome, until no file is left. */
import { parentPort, workerData } from 'node:worker_threads';
import { lintText } from '../core/lint';
import { lintFileOutcome, type WorkerInput, type WorkerMessage } from './lint-files';
import { lintFile, shownFile } from './lint';

/** Compiles the schemas and warms the lint path before taking a file: a worker that is not ready when the main
 * thread has taken every file is stopped rather than waited for. */
const WARM_UP = 'allowlist: 1\noutbound:\n  - name: warm-up\n    to: example.com\n    ports: 443\ninbound:\n  - name: warm-up-in\n    from: 192.0.2.0/24\n    ports: 22\n';

function run(input: WorkerInput): void {
  const post = (message: WorkerMessage): void => parentPort!.postMessage(message);
  try {
    lintText(WARM_UP, { fileName: 'warm-up.allowlist.yaml', config: input.config, catalogs: input.catalogs, today: input.today });
    const next = new Int32Array(input.next);
    const options = { catalogs: input.catalogs, config: input.config, today: input.today };
    for (let index = Atomics.add(next, 0, 1); index < input.files.length; index = Atomics.add(next, 0, 1)) {
      const file = input.files[index];
      const outcome = lintFileOutcome(file, { ...options, shown: shownFile(input, file.path) }, (linted, text) => lintFile(linted, text, options).findings);
      post({ index, outcome });
    }
    post({ done: true });
  } catch (error) {
    post({ failed: error instanceof Error ? error.message : String(error) });
  }
}

run(workerData as WorkerInput);
