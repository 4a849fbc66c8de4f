/** The desktop extension's commands and the code only they need (lint, probe, export, import, drift, diff: most of
 * the extension's code), bundled apart as dist/extension-commands.js. extension.ts registers their ids at activation
 * and loads this module with require() on the first use of one of them, so that activation loads the language client
 * only. The web extension (browser.ts) bundles its commands into its one file. */
import { COMMANDS } from './commands';
import { DESKTOP_COMMANDS } from './commands/desktop';
import type { CommandContext } from './commands/types';
import { probeCommands } from './probe';

export { lintInputsFor } from './lint-inputs';

/** Every deferred command's handler by command id, bound to `context`. */
export function deferredCommands(context: CommandContext): Record<string, (...args: unknown[]) => unknown> {
  const bound = Object.entries({ ...COMMANDS, ...DESKTOP_COMMANDS }).map(([id, command]) => [id, (...args: unknown[]) => command(context, ...args)]);
  return { ...Object.fromEntries(bound), ...probeCommands(context.extension, context.log) };
}
