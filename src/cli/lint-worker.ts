/** A worker thread of `allowlist lint` (bundled as dist/lint-worker.js; see lint-files.ts): it warms up while the main
 * thread loads the catalogs, then takes the next file from the shared counter, lints it as the main thread would and
 * sends its outcome, until no file is left. */
import { parentPort, workerData } from 'node:worker_threads';
import { buildCatalogSet } from '../core/catalog';
import { lintText } from '../core/lint';
import { lintFileOutcome, type WorkerJob, type WorkerMessage, type WorkerSetup } from './lint-files';
import { lintFile, shownFile } from './lint';

/** Warms the lint path (the parser and the validators, generated at build time; no catalogs, the job brings them) before
 * the job comes: a worker that is not ready when the main thread has taken every file is stopped rather than waited for. */
const WARM_UP = 'allowlist: 1\noutbound:\n  - name: warm-up\n    to: example.com\n    ports: 443\ninbound:\n  - name: warm-up-in\n    from: 192.0.2.0/24\n    ports: 22\n';

const setup = workerData as WorkerSetup;
const post = (message: WorkerMessage): void => parentPort!.postMessage(message);

function run(job: WorkerJob): void {
  try {
    const next = new Int32Array(job.next);
    const options = { catalogs: job.catalogs, config: setup.config, today: setup.today };
    for (let index = Atomics.add(next, 0, 1); index < job.files.length; index = Atomics.add(next, 0, 1)) {
      const file = job.files[index];
      post({ index, outcome: lintFileOutcome(file, shownFile(setup, file.path), (linted, text) => lintFile(linted, text, options).findings) });
    }
    post({ done: true });
  } catch (error) {
    post({ failed: error instanceof Error ? error.message : String(error) });
  }
}

lintText(WARM_UP, { fileName: 'warm-up.allowlist.yaml', config: setup.config, catalogs: buildCatalogSet([]), today: setup.today });
parentPort!.once('message', run);
