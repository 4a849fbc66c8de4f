/** The part of this folder's face that runs anywhere: the browser bundles take it for index.ts (scripts/build.mjs),
 * and index.ts adds what needs Node (catalog files and folders on disk). */
export { builtinCatalogs } from './builtin';
export { buildCatalogSet, catalogHostProblem, differingCatalogs, type CatalogResult, MAX_CATALOG_SIZE, parseCatalog } from './load';
export {
  type Catalog,
  type CatalogEndpoint,
  type CatalogExclusion,
  type CatalogInboundSource,
  type CatalogOption,
  type CatalogSet,
  type PortRangeSpec,
} from './types';
