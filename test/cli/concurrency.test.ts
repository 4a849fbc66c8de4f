/** `allowlist lint --concurrency`: linting on worker threads gives exactly the output of one thread. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lintFile, shownFile } from '../../src/cli/lint';
import { lintFileOutcome, type FileOutcome, type WorkerJob, type WorkerMessage, type WorkerSetup } from '../../src/cli/lint-files';
import { buildCatalogSet, builtinCatalogs, parseCatalog } from '../../src/core/catalog';
import { type DiscoveredFile, parseConfig } from '../../src/core/lint';
import { generateAllowlist } from '../generate';
import { ACME_CATALOG, BROKEN, BUILT_CLI, builtCliSkip, runBuilt, tempTree } from './helpers';

const WORKER = resolve(BUILT_CLI, '../lint-worker.js');
const TODAY = '2026-06-01';

/** A repository of many sites in nested folders, with what makes outputs differ when something is lost on the way
 * to a worker: a user catalog that sites declare (its findings need the catalog set), a config that changes
 * severities and options, an undecodable file, a UTF-16 one and a broken one. */
function fleet(): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {
    '.allowlistrc.yaml': 'rules:\n  expires-soon: error\n  duplicate-name: off\n',
    'vendor/acme.catalog.yaml': ACME_CATALOG,
    'sites/broken.allowlist.yaml': BROKEN,
    'sites/binary.allowlist.yaml': Buffer.from([0x61, 0x00, 0xff, 0xfe, 0x00, 0x01]),
    'sites/utf16.allowlist.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BROKEN, 'utf16le')]),
    'sites/acme.allowlist.yaml': 'allowlist: 1\nvendors:\n  acme: {}\noutbound:\n  - name: relay\n    vendor: acme\n    to: relay.acme.example\n    ports: 7000\n',
  };
  for (let site = 1; site <= 90; site++) files[`sites/region-${site % 3}/site-${String(site).padStart(2, '0')}.allowlist.yaml`] = generateAllowlist({ rules: 12, seed: site, inboundShare: 0.2 });
  return files;
}

test('lint on two threads prints what one thread prints, byte for byte, in every format', { skip: builtCliSkip }, () => {
  const { dir, cleanup } = tempTree(fleet());
  try {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const serial = runBuilt(dir, ['lint', '--format', format, '--today', TODAY, '--concurrency', 'off']);
      assert.equal(serial.status, 1, serial.stderr);
      assert.match(serial.stdout, /relay\.acme\.example/, 'the user catalog is used');
      for (const concurrency of ['2']) {
        const parallel = runBuilt(dir, ['lint', '--format', format, '--today', TODAY, '--concurrency', concurrency]);
        assert.deepEqual({ status: parallel.status, stdout: parallel.stdout, stderr: parallel.stderr }, { status: serial.status, stdout: serial.stdout, stderr: serial.stderr }, `--format ${format} --concurrency ${concurrency}`);
      }
    }
  } finally {
    cleanup();
  }
});

test('a lint worker lints the files it takes as the main thread does, with the catalogs and config it is given', { skip: builtCliSkip }, async () => {
  const { dir, cleanup } = tempTree(fleet());
  try {
    const config = { ...parseConfig('rules:\n  expires-soon: error\n'), path: join(dir, '.allowlistrc.yaml') };
    const acme = parseCatalog(ACME_CATALOG, join(dir, 'vendor/acme.catalog.yaml')).catalog!;
    const catalogs = buildCatalogSet([...builtinCatalogs(), acme]);
    const names = ['sites/acme.allowlist.yaml', 'sites/broken.allowlist.yaml', 'sites/binary.allowlist.yaml', 'sites/utf16.allowlist.yaml', 'sites/missing.allowlist.yaml', 'sites/region-1/site-01.allowlist.yaml'];
    const files: DiscoveredFile[] = names.map((name) => ({ path: join(dir, name), kind: 'allowlist', explicit: false }));
    const where = { cwd: join(dir, 'sites'), root: dir };
    const options = { catalogs, config, today: TODAY };
    const expected = files.map((file) => lintFileOutcome(file, shownFile(where, file.path), (linted, text) => lintFile(linted, text, options).findings));

    // Alone on the counter, the worker takes every file.
    const setup: WorkerSetup = { config, today: TODAY, ...where };
    const job: WorkerJob = { files, catalogs, next: new SharedArrayBuffer(4) };
    const outcomes: FileOutcome[] = [];
    const worker = new Worker(WORKER, { workerData: setup });
    worker.postMessage(job);
    await new Promise<void>((done, failed) => {
      worker.on('message', (message: WorkerMessage) => {
        if ('index' in message) outcomes[message.index] = message.outcome;
        else if ('done' in message) done();
        else failed(new Error(message.failed));
      });
      worker.on('error', failed);
    });
    await worker.terminate();
    assert.deepEqual(outcomes, expected);
    assert.match(JSON.stringify(expected), /missing-ports|relay\.acme\.example/, 'the catalog matters to the findings');
    assert.ok('error' in expected[4], 'the missing file is an error');
  } finally {
    cleanup();
  }
});

test('--concurrency takes a number of threads, auto or off', { skip: builtCliSkip }, () => {
  const { dir, cleanup } = tempTree({ 'a.allowlist.yaml': BROKEN });
  try {
    for (const value of ['0', 'two', '-1']) {
      const result = runBuilt(dir, ['lint', '--concurrency', value]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /--concurrency must be a number of threads \(1 or more\), auto or off/);
    }
    assert.equal(runBuilt(dir, ['lint', '--concurrency', '8']).status, 1, 'more threads than files is fine');
  } finally {
    cleanup();
  }
});
