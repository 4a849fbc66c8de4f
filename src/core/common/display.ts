/** File-supplied text made safe to show: on a terminal, in GitHub annotations, in Markdown, in a probe script's
 * output. A rule name, host or catalog string can carry characters that a terminal obeys (ESC sequences that move
 * the cursor, erase lines or set the window title; CR that overwrites the line) or that reorder or hide text for
 * a reviewer (bidirectional overrides and isolates, the "Trojan Source" characters; zero-width characters). Every
 * formatter passes such text through `visible()`; the `control-character` rule reports them in the file. */

/**
 * The characters `visible()` escapes: C0 controls (tab and line breaks too), DEL, C1 controls, the soft hyphen,
 * the Arabic letter mark, the Mongolian vowel separator, zero-width space, non-joiner and joiner, the left-to-right
 * and right-to-left marks, line and paragraph separators, bidirectional embeddings, overrides and isolates, word
 * joiner and invisible operators, Hangul fillers, the byte order mark, interlinear annotation characters and tag
 * characters (U+E0000-U+E007F, invisible letters).
 */
const BEYOND_C0 = '\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb';
const TAGS = '\\u{e0000}-\\u{e007f}';
const UNSAFE = new RegExp(`[\\u0000-\\u001f${BEYOND_C0}${TAGS}]`, 'gu');
/** What JSON.stringify leaves unescaped of them (it escapes C0 controls in strings; its own line breaks are layout). */
const UNSAFE_IN_JSON = new RegExp(`[${BEYOND_C0}${TAGS}]`, 'gu');

const SHORT_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** How an unsafe character is written instead: `\x1b`, `\t`, `\u202e`, `\u{e0041}`. */
function escapeCharacter(character: string): string {
  const code = character.codePointAt(0)!;
  if (SHORT_ESCAPES[character]) return SHORT_ESCAPES[character];
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code > 0xffff) return `\\u{${code.toString(16)}}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character written as an escape (`\x1b[2K` instead of an erase-line sequence),
 * tabs and line breaks included: one line of text stays one line. Other text is returned as it is. */
export function visible(text: string): string {
  return isPrintableAscii(text) ? text : text.replace(UNSAFE, escapeCharacter);
}

/** As `visible()`, but line feeds stay: for text whose lines the formatter laid out itself. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

const UNSAFE_ANYWHERE = new RegExp(UNSAFE.source, 'u');

/** Whether `visible()` would change the text: a quick test, for the many values that have nothing to escape. */
export function hasUnsafe(text: string): boolean {
  return !isPrintableAscii(text) && UNSAFE_ANYWHERE.test(text);
}

/** Whether every character is printable ASCII (space to `~`), which has none of the unsafe ones: most text, told
 * by a scan cheaper than the regular expression's call. */
function isPrintableAscii(text: string): boolean {
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** The unsafe characters of a text, each once, in order of appearance (none, by the quick scan, for most text). */
export function unsafeCharacters(text: string): string[] {
  return isPrintableAscii(text) ? [] : [...new Set(text.match(UNSAFE) ?? [])];
}

/** Serialized JSON with the unsafe characters that JSON.stringify leaves as they are (DEL, C1, bidirectional and
 * invisible characters) written as `\uXXXX` escapes: the parsed values stay exactly the same, and the raw JSON is
 * safe to print (`cat results.sarif`). Outside strings JSON text has none of these characters. */
export function safeJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (character) => character.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''));
}

/** Longest run of a file's value that a message quotes: a 1 MB host name is not echoed in full. */
export const ECHO_LIMIT = 200;

/** A file's value as a message echoes it: as it is up to `limit` characters, else cut there with "…" and the
 * full length. */
export function excerpt(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? text : `${head(text, limit)}… (${length(text)})`;
}

/** A file's value in double quotes, as messages quote names, hosts and options: `"hdb-api"`, or for a long one
 * `"aaaa…" (1,048,576 characters)`. */
export function quoted(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? `"${text}"` : `"${head(text, limit)}…" (${length(text)})`;
}

/** The first `limit` characters, one less where the cut would split a surrogate pair. */
function head(text: string, limit: number): string {
  return text.slice(0, /[\ud800-\udbff]/.test(text[limit - 1]) ? limit - 1 : limit);
}

function length(text: string): string {
  return `${text.length.toLocaleString('en-US')} characters`;
}

/** The first three items of a list and how many more ("a, b, c and 2 more"), for messages that name a few of
 * many; `separator` and `beforeMore` for lists whose items hold commas ("a; b; c; and 2 more"). */
export function firstFew(items: string[], separator = ', ', beforeMore = ' and '): string {
  return items.length > 3 ? `${items.slice(0, 3).join(separator)}${beforeMore}${items.length - 3} more` : items.join(separator);
}

/** Text on one line: every run of white space (line breaks included) one space, trimmed; for descriptions and names
 * written into one-line places (a YAML scalar, a comment, a hover line). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "1 rule", "3 rules", "2 expiries" (`many`); "info", the severity, is the same in the plural ("2 info"). */
export function plural(count: number, word: string, many = word === 'info' ? word : `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
