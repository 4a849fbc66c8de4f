// Records the CLI bundle's V8 code cache (run by build.mjs with a command line for the bundle): runs the command as
// dist/cli.js would, then writes what V8 compiled for it, behind the bundle's key, where dist/cli.js looks for it.
'use strict';
const { writeFileSync } = require('node:fs');
const { CODE_CACHE, compileBundle, runBundle } = require('../dist/cli.js');

const { script, key } = compileBundle();
process.on('exit', () => writeFileSync(CODE_CACHE, Buffer.concat([Buffer.from(`${key}\n`, 'latin1'), script.createCachedData()])));
runBundle(script, module);
