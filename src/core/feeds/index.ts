/** Vendor feeds as catalogs: a vendor's machine-readable list of endpoints, downloaded by the user, turned into
 * catalog YAML (`allowlist catalog import`). One reader per feed; user documentation: docs/catalogs.md. */
export { FeedError, type FeedImport, type FeedProblem, M365_CATEGORIES, M365_SERVICE_AREAS, M365_VENDOR_ID, m365Catalog, type M365Options } from './m365';
