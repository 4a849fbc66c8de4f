export type * from './types';
export { probe } from './engine';
export { pinnedAddresses, withPinnedAdvice } from './pinning';
export { formatTable, formatMarkdown, formatSummary, failedEndpoints, failedEndpointList, isReachable, tlsProblem } from './format';
export { probeScript, probeScriptFile, psQuote, type ProbeScriptOptions } from './script';
export { portsToProbe } from './ports';
export { proxyFromOptions, bypassesProxy } from './proxy';
export { singleAddress } from './address';
