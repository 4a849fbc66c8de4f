// Shared by the in-host tests: the workspace (a fresh copy of examples/ made by run-integration.mjs),
// opening documents and waiting for the language server's diagnostics.
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'firewall-allowlist.firewall-allowlist';
export const SOURCE = 'allowlist';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long a test waits for something the extension or VS Code does: generous, so a busy machine is slow, not red. */
export const PATIENCE_MS = 60_000;

/**
 * Re-checks `check` until it returns a value other than undefined or false, and returns that value;
 * fails after `timeoutMs` saying `what` did not happen (`what` may be a function, to describe the last state).
 */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = PATIENCE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) assert.fail(`${typeof what === 'function' ? what() : what}: not seen within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'no workspace folder open');
  return folder;
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder(), ...parts));
}

export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

/** The extension's diagnostics for `uri` (other sources, e.g. a YAML extension, left out). */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** The rule id of a diagnostic: `code` is `{ value, target }` when it carries a documentation link. */
export function ruleId(d: vscode.Diagnostic): string {
  const code = d.code;
  if (code && typeof code === 'object') return String(code.value);
  return String(code ?? '');
}

/** `ruleId@line` (1-based, as the CLI prints) for every diagnostic, in document order. */
export function summary(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return [...diagnostics]
    .sort((a, b) => a.range.start.compareTo(b.range.start))
    .map((d) => `${ruleId(d)}@${d.range.start.line + 1}`);
}

/**
 * Polls until `predicate(diagnostics)` holds for the extension's diagnostics of `uri`, then returns them.
 * The server lints on open after a debounce; the first publication may also come before catalogs load.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = PATIENCE_MS,
): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  let last: vscode.Diagnostic[] = [];
  while (Date.now() < deadline) {
    last = ourDiagnostics(uri);
    if (predicate(last)) return last;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 250);
      const listener = vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === uri.toString())) done();
      });
      function done() {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  }
  assert.fail(`${what}: not seen within ${timeoutMs / 1000} s on ${path.basename(uri.fsPath)}; last diagnostics: ${JSON.stringify(summary(last))}`);
}

/** Position of the first occurrence of `text` in the document (optionally `offset` characters into it). */
export function positionOf(doc: vscode.TextDocument, text: string, offset = 0): vscode.Position {
  const at = doc.getText().indexOf(text);
  assert.ok(at >= 0, `"${text}" not found in ${path.basename(doc.fileName)}`);
  return doc.positionAt(at + offset);
}

/** Today's date as the engine sees it (UTC, YYYY-MM-DD). */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The findings the CLI reports for examples/contoso.allowlist.yaml (`node dist/cli.js lint examples/`),
 * as `ruleId@line`. Line 89 has `expires: 2026-06-30`: after that date it is `expired-rule`; before it,
 * `expires-soon` or nothing, depending on how close the date is, so that line is checked apart.
 */
export const CONTOSO_STABLE = [
  'missing-ports@43',
  'shadowed-rule@60',
  'inbound-too-broad@96',
  'product-advice@104',
  'exclusion-path@107',
];
export const CONTOSO_EXPIRY_LINE = 89;
export const CONTOSO_EXPIRES = '2026-06-30';

/** Checks contoso's diagnostics against the CLI's findings (the date-dependent one robustly). */
export function assertContosoFindings(diagnostics: readonly vscode.Diagnostic[]): void {
  const all = summary(diagnostics);
  const expiry = all.filter((s) => s.endsWith(`@${CONTOSO_EXPIRY_LINE}`));
  const rest = all.filter((s) => !s.endsWith(`@${CONTOSO_EXPIRY_LINE}`));
  assert.deepStrictEqual(rest, CONTOSO_STABLE, `findings other than line ${CONTOSO_EXPIRY_LINE}`);
  if (todayUtc() > CONTOSO_EXPIRES) assert.deepStrictEqual(expiry, [`expired-rule@${CONTOSO_EXPIRY_LINE}`]);
  else assert.ok(expiry.every((s) => s.startsWith('expires-soon@')), `line ${CONTOSO_EXPIRY_LINE} before ${CONTOSO_EXPIRES}: ${expiry}`);
}

/** Whether contoso's diagnostics are complete (what waitForDiagnostics waits for). */
export function contosoComplete(diagnostics: readonly vscode.Diagnostic[]): boolean {
  const all = summary(diagnostics);
  return CONTOSO_STABLE.every((s) => all.includes(s));
}
