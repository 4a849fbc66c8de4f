export type * from './types';
export { probe } from './engine';
export { pinnedAddressAdvice, type PinnedAddress } from './pinning';
export { formatTable, formatMarkdown, failedEndpoints, isReachable } from './format';
export { probeScript, type ProbeScriptOptions } from './script';
export { portsToProbe } from './ports';
export { proxyFromOptions, bypassesProxy } from './proxy';
