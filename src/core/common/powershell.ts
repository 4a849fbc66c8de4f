/** PowerShell literals, for the scripts the engine writes (the probe script, the Windows Firewall export). */

/** A single-quoted PowerShell string: nothing in it is expanded (`$(...)`, backticks and `$name` stay text).
 * PowerShell ends such a string at ' and at the typographic quotes ‘ ’ ‚ ‛ alike; each is escaped by doubling it. */
export const psQuote = (s: string) => `'${s.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
