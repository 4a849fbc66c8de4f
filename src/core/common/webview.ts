/** The editor's results views (probe results, drift) as HTML for a VS Code webview: one page shape with a strict CSP
 * (nothing by default; scripts and styles only with the page's nonce), VS Code's theme colours, and the table, header
 * and button styles the views share. Every value a view puts in must go through escapeHtml. */

/** What VS Code gives a page: a fresh nonce per render and the webview's resource origin. */
export interface WebviewPage {
  nonce: string;
  cspSource: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The styles every results view uses; a view adds its own after them. */
export const RESULTS_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; margin: 12px 0; }
h1 { font-size: 1.2em; margin: 0; font-weight: 600; }
.summary.failed { color: var(--vscode-errorForeground); font-weight: 600; }
.summary.ok { color: var(--vscode-testing-iconPassed, var(--vscode-foreground)); font-weight: 600; }
.meta, .detail, .muted { color: var(--vscode-descriptionForeground); }
.buttons { margin-left: auto; display: flex; gap: 8px; }
button { font-family: inherit; font-size: inherit; color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: 1px solid var(--vscode-button-border, transparent); padding: 4px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
button.secondary:hover { background: var(--vscode-button-secondaryHoverBackground); }
a { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
/* The table fits the panel, also side by side with the editor: cells wrap (long host names and IPv6
   addresses anywhere, headers between words) instead of scrolling sideways; notes take their own
   full-width line under the row. */
.table { max-width: 100%; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 3px 8px; border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
th { font-weight: 600; position: sticky; top: 0; background: var(--vscode-editor-background); white-space: normal; overflow-wrap: normal; }
td { white-space: normal; overflow-wrap: anywhere; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.addr, td.port { font-family: var(--vscode-editor-font-family); }
tr.has-note td { border-bottom: none; padding-bottom: 0; }
tr.note td { overflow-wrap: break-word; padding: 0 8px 4px 24px; }
@media (max-width: 640px) {
  body { padding: 0 8px 8px; }
  th, td { padding: 2px 4px; }
  tr.note td { padding: 0 4px 4px 12px; }
  .buttons { margin-left: 0; }
}
/* Too narrow for the columns: each row becomes a block, its cells labelled ("port: ..."). */
@media (max-width: 600px) {
  table, tbody, tr, td { display: block; }
  thead { display: none; }
  tr:not(.note) { display: flex; flex-wrap: wrap; gap: 0 12px; padding-top: 4px; }
  tr:not(.note):not(.has-note), tr.note { border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, transparent)); }
  tr:not(.note) td { border: none; padding: 0 4px; text-align: left; }
  tr:not(.note) td:first-child { flex-basis: 100%; font-weight: 600; }
  td:empty { display: none; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--vscode-descriptionForeground); font-family: var(--vscode-font-family); }
  tr.note td { border: none; padding: 2px 4px 6px 12px; }
}
tr.failed { background: var(--vscode-inputValidation-errorBackground, transparent); }
tr.failed td:first-child { box-shadow: inset 3px 0 var(--vscode-errorForeground); }
tr.warning td:first-child { box-shadow: inset 3px 0 var(--vscode-editorWarning-foreground); }
p.empty { color: var(--vscode-descriptionForeground); }
`;

/** The one script of a results page: a click on an element with `data-message` posts `{ type: <data-message>, ...its
 * other data- attributes }` to the extension (buttons, links to a line). */
const RESULTS_SCRIPT = `
const vscode = acquireVsCodeApi();
for (const element of document.querySelectorAll('[data-message]')) {
  element.addEventListener('click', (event) => {
    event.preventDefault();
    const { message, ...data } = element.dataset;
    vscode.postMessage({ type: message, ...data });
  });
}
`;

/** A whole page: `css` after RESULTS_CSS, `body` as given (already escaped). */
export function webviewPage(page: WebviewPage, parts: { title: string; css: string; body: string }): string {
  const nonce = page.nonce.replace(/[^A-Za-z0-9+/=_-]/g, '');
  const csp = `default-src 'none'; img-src ${page.cspSource.replace(/[\s;"'<>]/g, '')}; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp.replace(/"/g, '&quot;')}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(parts.title)}</title>
<style nonce="${nonce}">${RESULTS_CSS}${parts.css}</style>
</head>
<body>
${parts.body}
<script nonce="${nonce}">${RESULTS_SCRIPT}</script>
</body>
</html>
`;
}
