/** The probe commands' ids and context key: what activation registers and sets, apart from the commands themselves
 * (commands.ts, in the bundle loaded on first use: src/extension/deferred.ts). */
import { CLIENT_PROBE_COMMAND } from '../../server/protocol';

export const probeCommandIds = {
  probeFile: 'allowlist.probeFile',
  probeAtCursor: 'allowlist.probeAtCursor',
  probeAgain: 'allowlist.probeAgain',
  probeScript: 'allowlist.probeScript',
  /** The CodeLens's command (src/server/probe-lens.ts): arguments `[uri, ruleName, { sweep }?]`. */
  probeRule: CLIENT_PROBE_COMMAND,
} as const;

/** Context key: probes can run here (the extension runs in Node). Not `!isWeb`: code-server and other VS Code servers
 * show a web workbench (isWeb) over a Node extension host, where probes work. */
export const PROBE_AVAILABLE_CONTEXT = 'allowlist.probe.available';
