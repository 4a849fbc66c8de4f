/** From an allowlist's text to the model every rule visits: the line layout, rule items, addresses, ports,
 * ignore comments and JSON Schema validation, with source ranges. */
export {
  addressCovers,
  coveringKeys,
  indexKey,
  indexKeys,
  ipFamily,
  ipv4KeyPrefix,
  maskPrefix,
  networkContains,
  networkKey,
  networkText,
  parseAddress,
  rangeToNetworks,
  wildcardCovers,
} from './address';
export { MARKER } from './ignore';
export { scanLayout } from './layout';
export { markedKind } from './marker';
export {
  absolute,
  type Address,
  type AllowlistModel,
  type AllowRule,
  allRules,
  type Direction,
  emptyAllowlistModel,
  type Exclusion,
  type IgnoreComment,
  type IndexKey,
  itemSubject,
  type ListSplice,
  type Network,
  type PortSet,
  type PortSpan,
  type Protocol,
  recordedSplice,
  ruleSide,
  type RuleSide,
  type Spanned,
  type VendorDecl,
} from './model';
export { type ChunkMemo, isAllowlistFileName, parseAllowlist, type ParsedItem, parseStats, parseWhole, type RawFinding } from './parse';
export { formatPortRange, mergedSpansOf, mergeSpans, portsCover, uncoveredPorts } from './ports';
export { type JsonPath, validateCatalog } from './schema';
export { nodeAtPath, nodeRange, scalarText, toPlain, yamlProblemMessage, YamlValueError } from './yaml-nodes';
