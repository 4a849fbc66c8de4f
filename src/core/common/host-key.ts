/** A host name as names are compared (DNS, catalogs, the Public Suffix List): lower case, without a final dot. No
 * regular expression: every address of every rule goes through it. */
export function hostKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
