/** The part of this folder's face that runs anywhere: the browser bundles take it for index.ts (scripts/build.mjs),
 * and index.ts adds what needs Node (the package folder on disk). */
export {
  ECHO_LIMIT,
  excerpt,
  firstFew,
  oneLine,
  plural,
  hasUnsafe,
  quoted,
  safeJson,
  unsafeCharacters,
  visible,
  visibleLines,
} from './display';
export { cacheKey } from './hash';
export { hostKey } from './host-key';
export { codeSpan, escapeMarkdown, markdownLink } from './markdown';
export { commentParts, directionMarker, NFT_RESOLVER_DNS_COMMENT } from './nftables-export';
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
  type RuleOption,
  type Severity,
  type SeveritySetting,
  type TextEdit,
} from './types';
