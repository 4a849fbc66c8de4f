/** The part of this folder's face that runs anywhere: the browser bundles take it for index.ts (scripts/build.mjs),
 * and index.ts adds what needs Node (reading files and walking folders). */
export { decodeText, type DecodedText, findingsOfDecoded, isEncodingFinding, MAX_FILE_SIZE, MAX_READ_SIZE, megabytes } from './decode';
