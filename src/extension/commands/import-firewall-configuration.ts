/** "Allowlist: Import Firewall Configuration…" (`allowlist.importFirewallConfiguration`): `allowlist import` in the
 * editor. A configuration file (open dialog) of a platform (the import readers), optionally vendors to declare (the
 * catalogs the editor lints with), read into an allowlist that opens in an unsaved editor beside; what the reader
 * could not map goes to the output channel, one line each as the CLI prints it, and a notification counts it. */
import * as vscode from 'vscode';
import type { Catalog, CatalogSet } from '../../core/catalog';
import { visible, visibleLines } from '../../core/common';
import { importedAllowlist, type ImportProblem } from '../../core/import';
import { UnknownVendorError, vendorCatalogs } from '../../core/init';
import { chooseConfiguration, type ConfigurationChoice, type FirewallConfiguration } from '../firewall-configuration';
import { openUntitled } from '../untitled';
import type { CommandContext } from './types';

const TITLE = 'Allowlist: Import Firewall Configuration';

/** What a caller may give instead of the dialogs: the configuration, its platform and the vendor ids to declare. */
export interface ImportChoice extends ConfigurationChoice {
  vendors?: string[];
}

/** What the command did, for its callers (the integration tests): the opened allowlist and the logged problem lines,
 * or the error it showed. */
export type ImportOutcome = { document: vscode.TextDocument; logged: string[] } | { failed: string };

export async function importFirewallConfiguration({ extension, log, lintInputs }: CommandContext, given: ImportChoice = {}): Promise<ImportOutcome | undefined> {
  const configuration = await chooseConfiguration(TITLE, 'Import', given);
  if (!configuration || 'failed' in configuration) return configuration;
  const { catalogs } = await lintInputs(configuration.uri);
  const vendors = given.vendors === undefined ? await pickVendors(catalogs) : knownVendors(catalogs, given.vendors);
  if (!vendors) return undefined;

  const { reader, shown } = configuration;
  const result = reader.read(configuration.text, {});
  const logged = result.problems.map((problem) => problemLine(shown, problem));
  for (const line of logged) log.warn(line);
  if (result.rules.length === 0) {
    // Nothing allowed: most likely another platform's file; the reader's first problem says why.
    const why = result.problems[0] ? `: ${visibleLines(result.problems[0].message)}` : ': it allows nothing';
    const failed = `Allowlist: nothing imported from ${visible(shown)} as ${reader.title}${why}`;
    void vscode.window.showErrorMessage(failed, ...(logged.length > 1 ? ['Show Output'] : [])).then((choice) => choice && log.show(true));
    return { failed };
  }

  const folder = vscode.Uri.joinPath(configuration.uri, '..');
  const text = importedAllowlist(result.rules, {
    schema: schemaFrom(folder, extension),
    sourceName: fileName(configuration.uri),
    readerTitle: reader.title,
    vendors,
  });
  let document: vscode.TextDocument;
  try {
    document = await openUntitled(folder, { name: allowlistName(configuration), text });
    // Beside the editor in use; with none open, in the one group rather than beside an empty one.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    await vscode.window.showTextDocument(document, { viewColumn: column, preview: false });
  } catch (error) {
    const failed = `Allowlist: cannot open the imported allowlist: ${error instanceof Error ? error.message : String(error)}`;
    void vscode.window.showErrorMessage(failed);
    return { failed };
  }
  const rules = `${result.rules.length} rule${result.rules.length === 1 ? '' : 's'}`;
  log.info(`imported ${shown} (${reader.title}): ${rules}${logged.length > 0 ? `, ${logged.length} part${logged.length === 1 ? '' : 's'} not mapped` : ''}`);
  if (logged.length > 0) {
    void vscode.window
      .showWarningMessage(`Allowlist: imported ${rules} from ${visible(shown)}; ${logged.length} part${logged.length === 1 ? '' : 's'} not mapped: see Output.`, 'Show Output')
      .then((choice) => choice && log.show(true));
  }
  return { document, logged };
}

/** The vendors to declare, picked from the loaded catalogs (none is a choice; Escape cancels the import). */
async function pickVendors(catalogs: CatalogSet): Promise<Catalog[] | undefined> {
  const picked = await vscode.window.showQuickPick(
    catalogs.catalogs.map((catalog) => ({ label: catalog.name, description: catalog.id, catalog })),
    {
      title: TITLE,
      placeHolder: "Vendors whose software the site runs (optional): rules to their hosts get `vendor:`, and lint shows what the firewall lacks for them",
      canPickMany: true,
    },
  );
  return picked?.map((item) => item.catalog);
}

/** The catalogs of vendor ids given by a caller, as `--vendor` resolves them (an unknown id is an error message). */
function knownVendors(catalogs: CatalogSet, ids: string[]): Catalog[] | undefined {
  try {
    return vendorCatalogs(catalogs, ids);
  } catch (error) {
    if (!(error instanceof UnknownVendorError)) throw error;
    void vscode.window.showErrorMessage(`Allowlist: ${error.message}`);
    return undefined;
  }
}

/** As `allowlist import` prints it on stderr: FILE:LINE: not imported|imported in part: message. */
function problemLine(shown: string, problem: ImportProblem): string {
  return `${visible(shown)}:${problem.line}: ${problem.kind === 'skipped' ? 'not imported' : 'imported in part'}: ${visibleLines(problem.message)}`;
}

/** `branch.conf` → `branch.allowlist.yaml` (the name the allowlist patterns and the schema association match). */
function allowlistName(configuration: FirewallConfiguration): string {
  return `${fileName(configuration.uri).replace(/\.[^.]*$/, '') || 'imported'}.allowlist.yaml`;
}

/** The modeline's schema: the extension's own copy, relative to where the allowlist will be saved, as the CLI writes
 * it relative to its package (a URL when the folder is not on disk). */
function schemaFrom(folder: vscode.Uri, extension: vscode.ExtensionContext): string {
  const schema = vscode.Uri.joinPath(extension.extensionUri, 'schemas', 'allowlist.schema.json');
  if (folder.scheme !== 'file' || schema.scheme !== 'file') return schema.toString();
  // URI paths have `/` on every platform (`/c:/...` on Windows); on another drive there is no relative path.
  const from = folder.path.split('/').filter(Boolean);
  const to = schema.path.split('/').filter(Boolean);
  let shared = 0;
  while (shared < from.length && shared < to.length && from[shared] === to[shared]) shared++;
  return shared === 0 ? schema.toString() : [...from.slice(shared).map(() => '..'), ...to.slice(shared)].join('/');
}

/** The last segment of a URI's path: `branch.conf`. */
function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
