/** Small pieces every part of the engine shares: the vocabulary of positions, findings and fixes, text and
 * Markdown made safe to show, the results views' web page, did-you-mean, the Public Suffix List and where the package's files are. */
export {
  ECHO_LIMIT,
  excerpt,
  firstFew,
  oneLine,
  hasUnsafe,
  quoted,
  safeJson,
  unsafeCharacters,
  visible,
  visibleLines,
} from './display';
export { cacheKey } from './hash';
export { codeSpan, escapeMarkdown, markdownLink } from './markdown';
export { packagePath, packageRoot } from './package-root';
export { psQuote } from './powershell';
export { sha256Hex } from './sha256';
export { isPublicSuffix, publicSuffixesUnder, publicSuffixOf } from './psl';
export { closestMatch, closestName, editDistance, normalize } from './suggest';
export { LineIndex, type Position } from './text';
export { escapeHtml, RESULTS_CSS, webviewPage, type WebviewPage } from './webview';
export {
  type Finding,
  type Fix,
  type Range,
  ruleDocUrl,
  type RuleMeta,
  type Severity,
  type SeveritySetting,
  type TextEdit,
} from './types';
