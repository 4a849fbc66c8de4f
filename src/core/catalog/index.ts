/** Vendor catalogs: loading and validating them (built-in, configured and found near a file) into one set. */
export * from './index.browser';
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
