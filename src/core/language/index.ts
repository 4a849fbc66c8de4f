/** What only editors use, in a neutral shape the language server translates to LSP: hover and explain,
 * completion, outline, references and the ignore-comment quick fix. */
export { catalogHoverAt, catalogSymbols } from './catalog-editor';
export { complete, type CompletionKind } from './complete';
export { explain, type ExplainFile } from './explain';
export { ignoreEdit } from './ignore-edit';
export { catalogFilePath } from './catalog-file';
export { definitionsAt, hoverAt } from './locate';
export { referencesAt } from './references';
export { documentSymbols, type OutlineKind, type OutlineSymbol } from './symbols';
