/** The browser's face of this folder (the browser bundles take it for index.ts, see scripts/build.mjs): what
 * index.ts exports except what needs Node (a built-in catalog's file on disk). */
export { catalogHoverAt, catalogSymbols } from './catalog-editor';
export { complete, type CompletionKind } from './complete';
export { explain, type ExplainFile } from './explain';
export { ignoreEdit } from './ignore-edit';
export { definitionsAt, hoverAt } from './locate';
export { referencesAt } from './references';
export { documentSymbols, type OutlineKind, type OutlineSymbol } from './symbols';
