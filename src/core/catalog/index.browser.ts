/** The browser's face of this folder (the browser bundles take it for index.ts, see scripts/build.mjs): what
 * index.ts exports except what needs Node (catalog files and folders on disk). */
export { buildCatalogSet, builtinCatalogs, type CatalogResult, MAX_CATALOG_SIZE, parseCatalog } from './load';
export {
  type Catalog,
  type CatalogEndpoint,
  type CatalogExclusion,
  type CatalogInboundSource,
  type CatalogOption,
  type CatalogSet,
  type PortRangeSpec,
} from './types';
