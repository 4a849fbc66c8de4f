// Hovers the TechConnect host in the example and reads the vendor catalog's words for it (the built-in catalog,
// bundled into the web worker's server): the desktop scenario, unchanged.
export { run } from '../scenarios/02-hover-role.mjs';
