// Runs the grammar tests with vscode-tmgrammar-test against VS Code's YAML grammar plus our injection.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const yaml = join(root, 'test/syntaxes/yaml');
const grammars = [...readdirSync(yaml).filter((name) => name.endsWith('.tmLanguage.json')).map((name) => join(yaml, name)), join(root, 'syntaxes/allowlist.injection.tmLanguage.json')];
const bin = join(root, 'node_modules/.bin/vscode-tmgrammar-test');
const result = spawnSync(bin, [...grammars.flatMap((g) => ['-g', g]), join(root, 'test/syntaxes/*.test.yaml')], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
