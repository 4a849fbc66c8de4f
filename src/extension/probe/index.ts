export { probeCommands } from './commands';
export { PROBE_AVAILABLE_CONTEXT, probeCommandIds } from './ids';
