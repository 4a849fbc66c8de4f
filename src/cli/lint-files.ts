/** `allowlist lint`'s allowlists, read and linted one after the other or, for a repository of many files, on every
 * core: the main thread and worker threads (dist/lint-worker.js) take the next file from one shared counter, and the
 * results come back in the files' order, so the output is the same either way. */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CatalogSet } from '../core/catalog';
import { nodeWorkerThreads } from '../core/common';
import { decodeText, findingsOfDecoded, ioMessage, MAX_READ_SIZE, readRegularFileSync } from '../core/files';
import type { DiscoveredFile, FileReport, LintConfig } from '../core/lint';
import { CliError } from './common';

/** What linting files needs besides the files and the catalogs, known before the catalogs are loaded: the workers
 * start with it (plain data), and load and warm up while this thread loads the catalogs. */
export interface WorkerSetup {
  config: LintConfig;
  today?: string;
  /** How a path is shown and its URI (`shownFile`). */
  cwd: string;
  root: string;
}

/** The files to lint and their catalogs, sent to the workers when known. */
export interface WorkerJob {
  files: DiscoveredFile[];
  catalogs: CatalogSet;
  /** One Int32: the index of the next file to take (Atomics.add). */
  next: SharedArrayBuffer;
}

/** A file's report, or why it could not be read. */
export type FileOutcome = { report: FileReport } | { error: string };

/** The worker's messages: a file's outcome, then `done` when no file is left. */
export type WorkerMessage = { index: number; outcome: FileOutcome } | { done: true } | { failed: string };

/** `--concurrency`: a number of threads, `auto` (the cores, when there are enough files) or `off` (one thread). */
export type Concurrency = number | 'auto';

/** Files that add up to less than this are linted on the main thread under `auto`: a worker takes a few hundred
 * milliseconds of a core to load the bundle and warm up, about the time one thread lints 1 MB in, and on a
 * busy machine it slows the main thread down more than it helps. */
export const AUTO_MIN_BYTES = 1024 * 1024;

const WORKER_SCRIPT = join(__dirname, 'lint-worker.js');

/** Reads one allowlist (within MAX_READ_SIZE, decoded) and lints it: what `allowlist lint` does for each file. */
export function lintFileOutcome(file: DiscoveredFile, shown: { path: string; uri: string }, lint: (file: DiscoveredFile, text: string) => FileReport['findings']): FileOutcome {
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(file.path, MAX_READ_SIZE);
  } catch (error) {
    return { error: `cannot read ${shown.path}: ${ioMessage(error)}` };
  }
  const decoded = decodeText(bytes);
  return { report: { path: shown.path, uri: shown.uri, text: decoded.text, findings: findingsOfDecoded(decoded, (text) => lint(file, text)) } };
}

/** How many threads lint `files`. */
export function threadCount(concurrency: Concurrency, files: DiscoveredFile[]): number {
  const wanted = concurrency === 'auto' ? (files.length > 1 && atLeastBytes(files, AUTO_MIN_BYTES) ? availableParallelism() : 1) : concurrency;
  // Threads beyond the files would only start up; without the bundled worker script (tests from source) there is one.
  return Math.max(1, Math.min(wanted, files.length, existsSync(WORKER_SCRIPT) ? Infinity : 1));
}

/** Whether the files add up to `bytes` (a file that cannot be stat'ed counts as empty: reading it reports it). */
function atLeastBytes(files: DiscoveredFile[], bytes: number): boolean {
  let total = 0;
  for (const file of files) {
    total += statSync(file.path, { throwIfNoEntry: false })?.size ?? 0;
    if (total >= bytes) return true;
  }
  return false;
}

/** The threads that lint allowlists: this one and `threads - 1` workers, started before the files and catalogs are
 * known so that their start-up overlaps this thread's loading of the catalogs. */
export class LintThreads {
  private readonly workers: RunningWorker[];

  constructor(threads: number, setup: WorkerSetup) {
    this.workers = Array.from({ length: threads - 1 }, () => startWorker(setup));
  }

  /** The outcomes of `files`, in their order; `lintHere` lints one on this thread. */
  async lint(files: DiscoveredFile[], catalogs: CatalogSet, lintHere: (file: DiscoveredFile) => FileOutcome): Promise<FileOutcome[]> {
    const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
    const next = new Int32Array(new SharedArrayBuffer(4));
    for (const worker of this.workers) worker.send({ files, catalogs, next: next.buffer as SharedArrayBuffer }, outcomes);
    // This thread lints too, taking files from the same counter until none is left.
    for (let index = Atomics.add(next, 0, 1); index < files.length; index = Atomics.add(next, 0, 1)) outcomes[index] = lintHere(files[index]);
    // Every file is taken (the workers' outcomes arrive after this loop): a worker that took none, still starting, is not
    // waited for.
    await Promise.all(this.workers.map((worker) => (outcomes.includes(undefined) ? worker.finished : worker.stop())));
    return outcomes as FileOutcome[];
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}

interface RunningWorker {
  send(job: WorkerJob, outcomes: (FileOutcome | undefined)[]): void;
  /** Settles when the worker has sent the outcomes of every file it took. */
  finished: Promise<void>;
  stop(): Promise<void>;
}

function startWorker(setup: WorkerSetup): RunningWorker {
  const worker = new (nodeWorkerThreads().Worker)(WORKER_SCRIPT, { workerData: setup });
  let stopped = false;
  let outcomes: (FileOutcome | undefined)[] = [];
  const finished = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if ('index' in message) outcomes[message.index] = message.outcome;
      else if ('done' in message) resolve();
      else reject(workerFailed(message.failed));
    });
    worker.on('error', (error) => reject(workerFailed(error.message)));
    worker.on('exit', (code) => (stopped || code === 0 ? resolve() : reject(workerFailed(`it exited with code ${code}`))));
  });
  // A worker that is stopped unwaited-for (it took no file) must not leave its failure unhandled.
  finished.catch(() => undefined);
  return {
    send: (job, into) => {
      outcomes = into;
      worker.postMessage(job);
    },
    finished,
    stop: async () => {
      stopped = true;
      await worker.terminate();
    },
  };
}

function workerFailed(why: string): CliError {
  return new CliError(`a lint worker thread failed (${why}); --concurrency off lints on one thread`);
}
