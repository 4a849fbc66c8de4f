/** The browser's face of this folder (the browser bundles take it for index.ts, see scripts/build.mjs): what
 * index.ts exports except what needs Node (reading files and walking folders). */
export { decodeText, findingsOfDecoded, MAX_FILE_SIZE, MAX_READ_SIZE, megabytes } from './decode';
