/** Modules that scripts/build.mjs generates for the browser bundles (`*.browser.ts` files import them): the
 * package's files a web worker cannot read at run time. */
declare module 'bundled:psl-rules' {
  /** The Public Suffix List's rules, lower case and in ASCII form (scripts/build-psl-rules.ts). */
  const rules: string[];
  export default rules;
}

declare module 'bundled:catalogs' {
  /** The built-in catalogs (catalogs/*.catalog.yaml): file name and text, sorted by name. */
  const files: { name: string; text: string }[];
  export default files;
}
