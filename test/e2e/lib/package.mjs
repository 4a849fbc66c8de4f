// Builds (`npm run build`) and packages an extension folder into a .vsix with the project's vsce, as a user installs it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, OUT, lap } from './paths.mjs';

/** The .vsix of `extension` (a folder, or a ready .vsix returned as it is); `skipBuild` packages dist/ as it is. */
export function packageExtension(extension, { skipBuild = false } = {}) {
  if (extension.endsWith('.vsix')) return extension;
  const pkg = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8'));
  if (!skipBuild && pkg.scripts?.build) {
    lap(`npm run build in ${extension}`);
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: extension, stdio: 'inherit' });
  }
  // The project's own vsce (a devDependency), so an extension folder outside the repo packages too.
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  const flags = ['--no-dependencies', '--allow-missing-repository', '--skip-license'];
  // Without a .vscodeignore covering them, vsce would pack the 800 MB of test tools and old runs.
  const stray = execFileSync(vsce, ['ls', ...flags.slice(0, 1)], { cwd: extension, encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n').filter((f) => /^test\/e2e\/(\.tools|out)\//.test(f));
  if (stray.length) throw new Error(`vsce would package ${stray.length} files from test/e2e/.tools or test/e2e/out; exclude test/** in ${extension}/.vscodeignore`);
  const vsix = path.join(OUT, `${pkg.name}.vsix`);
  fs.mkdirSync(OUT, { recursive: true });
  execFileSync(vsce, ['package', ...flags, '-o', vsix], { cwd: extension, stdio: ['ignore', 'inherit', 'inherit'] });
  lap(`packaged ${path.relative(process.cwd(), vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  return vsix;
}
