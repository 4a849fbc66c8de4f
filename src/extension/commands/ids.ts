/** The commands' ids, apart from their code: activation registers these on the desktop and loads the commands
 * themselves on first use (src/extension/deferred.ts). COMMANDS and DESKTOP_COMMANDS are keyed by exactly these, so
 * that a command added to one is added here too (tsc says so). */
export const SHARED_COMMAND_IDS = ['allowlist.checkAgainstFirewall', 'allowlist.exportForFirewall', 'allowlist.importFirewallConfiguration', 'allowlist.lintWorkspace'] as const;

/** The commands that need Node (desktop.ts). */
export const DESKTOP_COMMAND_IDS = ['allowlist.showChanges'] as const;
