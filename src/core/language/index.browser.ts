/** The part of this folder's face that runs anywhere: the browser bundles take it for index.ts (scripts/build.mjs),
 * and index.ts adds what needs Node (a built-in catalog's file on disk). */
export { catalogHoverAt, catalogSymbols } from './catalog-editor';
export { complete, type CompletionKind } from './complete';
export { explain, type ExplainFile } from './explain';
export { ignoreEdit } from './ignore-edit';
export { definitionsAt, hoverAt } from './locate';
export { referencesAt } from './references';
export { documentSymbols, type OutlineKind, type OutlineSymbol } from './symbols';
