/** What only editors use, in a neutral shape the language server translates to LSP: hover and explain,
 * completion, outline, references and the ignore-comment quick fix. */
export * from './index.browser';
export { catalogFilePath } from './catalog-file';
