// yaml-language-server validating one allowlist as a whole process (issue 16, the cold comparison): loads its
// language service with our schema for *.allowlist.yaml, as the bench does in process, validates the file once and
// prints the number of diagnostics. The bench times the process beside our cold `allowlist lint` of the same file.
// Usage: node scripts/bench/yls-cold.mjs <file.allowlist.yaml>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const yls = require('yaml-language-server');
const { TextDocument } = require('vscode-languageserver-textdocument');

const file = process.argv[2];
const schemaPath = join(new URL('../..', import.meta.url).pathname, 'schemas', 'allowlist.schema.json');
const schemaUri = pathToFileURL(schemaPath).href;
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const languageService = yls.getLanguageService({
  schemaRequestService: async (uri) => (uri === schemaUri ? JSON.stringify(schema) : Promise.reject(new Error(`no schema at ${uri}`))),
  workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
});
languageService.configure({ validate: true, schemas: [{ uri: schemaUri, fileMatch: ['*.allowlist.yaml'], schema }] });
const document = TextDocument.create(`file:///bench/${basename(file)}`, 'yaml', 1, readFileSync(file, 'utf8'));
const diagnostics = await languageService.doValidation(document, false);
process.stdout.write(`${diagnostics.length}\n`);
