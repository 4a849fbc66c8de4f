export type * from './types';
export { probe } from './engine';
export { pinnedAddresses, withPinnedAdvice } from './pinning';
export { formatTable, formatMarkdown, formatSummary, failedEndpoints, failedEndpointList, isReachable, tlsProblem } from './format';
export { probeScript, probeScriptFile, type ProbeScriptOptions } from './script';
export { portsToProbe } from './ports';
export { proxyFromOptions, bypassesProxy } from './proxy';
export { singleAddress } from './address';
export { type DnsAnswer, resolveHost } from './dns';
export { probedNothing } from './format';
export { ProbeRefusedError, probeTargets, probeTargetsFromText } from './targets';
export {
  describeOptions,
  failedEndpointLines,
  hasPortRange,
  isProbeViewMessage,
  lensScope,
  loadProbeInputs,
  PROBE_PANEL_TITLE,
  probeLogLine,
  probeMarkdown,
  probeOptionsFromSettings,
  type ProbeRunOptions,
  type ProbeScope,
  type ProbeSelection,
  type ProbeSettings,
  probeSummary,
  type ProbeView,
  type ProbeViewMessage,
  renderProbeHtml,
  ruleLabel,
  scopeLabel,
  selectionAtOffset,
  selectScope,
} from './view';
