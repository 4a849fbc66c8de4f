export { registerProbeCommands, probeCommandIds } from './commands';
