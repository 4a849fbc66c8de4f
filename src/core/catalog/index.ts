/** Vendor catalogs: loading and validating them (built-in, configured and found near a file) into one set. */
export { buildCatalogSet, builtinCatalogs, type CatalogResult, MAX_CATALOG_SIZE, parseCatalog } from './load';
export {
  catalogErrorList,
  type CatalogProblem,
  catalogsNear,
  type CatalogSource,
  CatalogSourceError,
  describeCatalogProblem,
  editorCatalogSet,
  loadCatalogSet,
} from './sources';
export {
  type Catalog,
  type CatalogEndpoint,
  type CatalogExclusion,
  type CatalogInboundSource,
  type CatalogOption,
  type CatalogSet,
  type PortRangeSpec,
} from './types';
