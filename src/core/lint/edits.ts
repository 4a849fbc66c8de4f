/** Helpers that build the YAML text edits of fixes: a new rule item at the end of a rule list, a value
 * appended to a scalar/flow/block list, an item removed with its lines. They read the model's ranges
 * and the file's text; they never re-parse. Each returns undefined where the layout is one it cannot
 * edit safely (then the finding simply carries no fix). */
import { absolute, type AllowlistModel, type AllowRule, type Direction } from '../parse';
import type { Range, TextEdit } from '../common';

/** Start of the line that contains `offset`. (At offset 0, `lastIndexOf('\n', -1)` would look at the first
 * character: a text that starts with a newline would put the line's start after the offset.) */
export function lineStartOf(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** End of the line that contains `offset` (the position of its `\r\n` or `\n`, or the end of the text). */
export function lineEndOf(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline === -1) return text.length;
  return newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** The edit with its new lines written as the file writes them (`\r\n` in a CRLF file). */
function withEol(text: string, edit: TextEdit | undefined): TextEdit | undefined {
  if (!edit || !text.includes('\r\n')) return edit;
  return { ...edit, newText: edit.newText.replace(/\r?\n/g, '\r\n') };
}

/** Column of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** A YAML scalar for a plain string: bare where YAML reads it back as the same string, else double-quoted. */
export function yamlString(value: string): string {
  const reserved = /^(true|false|yes|no|on|off|null|~|y|n)$/i.test(value);
  const numeric = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(value) || /^0[xo][0-9a-f]+$/i.test(value) || /^[-+]?\.(inf|nan)$/i.test(value);
  const plainSafe = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(value) && !reserved && !numeric;
  return plainSafe ? value : JSON.stringify(value);
}

/** A single-quoted YAML scalar (backslashes stay literal: right for Windows paths). */
export function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A port span as a YAML list element: a number, or a quoted "from-to" range. */
export function portText({ from, to }: { from: number; to: number }): string {
  return from === to ? String(from) : `"${from}-${to}"`;
}

/** A `ports:` value for spans: a scalar for one span, a flow list for several. */
export function portsValue(spans: { from: number; to: number }[]): string {
  return spans.length === 1 ? portText(spans[0]) : `[${spans.map(portText).join(', ')}]`;
}

/** A new rule item: `key: value` lines (values already YAML text), in order. */
export type ItemFields = [key: string, value: string][];

/** Whether a rule item is written in block style with its first key on the dash's line (`- key: value`), not inside a flow list. */
function isBlockItem(text: string, rule: AllowRule): boolean {
  const start = absolute(rule, rule.range).start;
  const before = text.slice(lineStartOf(text, start), start);
  return /^\s*-\s+$/.test(before);
}

/** The text of a block item from fields, with the dash at `dashColumn` and keys at `keyColumn`. */
function itemText(fields: ItemFields, dashColumn: number, keyColumn: number): string {
  const firstPad = ' '.repeat(Math.max(1, keyColumn - dashColumn - 1));
  return fields
    .map(([key, value], i) => (i === 0 ? `${' '.repeat(dashColumn)}-${firstPad}${key}: ${value}` : `${' '.repeat(keyColumn)}${key}: ${value}`))
    .join('\n');
}

/**
 * An edit that appends rule items at the end of the `outbound:`/`inbound:` list, indented like the list's
 * last item; creates the section at the end of the file when there is none.
 */
export function appendRuleItems(model: AllowlistModel, direction: Direction, items: ItemFields[]): TextEdit | undefined {
  return withEol(model.text, appendRuleItemsLf(model, direction, items));
}

function appendRuleItemsLf(model: AllowlistModel, direction: Direction, items: ItemFields[]): TextEdit | undefined {
  const text = model.text;
  const rules = model[direction];
  const last = rules[rules.length - 1];
  if (last) {
    if (!isBlockItem(text, last)) return undefined;
    const itemStart = absolute(last, last.range).start;
    // The item's range starts at its first key (the mapping), after the `- ` on the same line.
    const before = text.slice(lineStartOf(text, itemStart), itemStart);
    const dash = before.lastIndexOf('-');
    const dashColumn = dash === -1 ? columnOf(text, itemStart) : dash;
    const keyColumn = dash === -1 ? dashColumn + 2 : columnOf(text, itemStart);
    const at = lineEndOf(text, Math.max(itemStart, absolute(last, last.range).end - 1));
    return { range: { start: at, end: at }, newText: items.map((fields) => `\n${itemText(fields, dashColumn, keyColumn)}`).join('') };
  }
  const body = items.map((fields) => itemText(fields, 2, 4)).join('\n');
  const key = direction === 'outbound' ? model.outboundKey : model.inboundKey;
  if (key) {
    // `outbound:` with no items: nothing, `~`/`null` or `[]` after the colon.
    const lineEnd = lineEndOf(text, key.end);
    const rest = text.slice(key.end, lineEnd);
    const match = /^(\s*:)\s*(?:\[\s*\]|~|null)?\s*(#.*)?\r?$/.exec(rest);
    if (!match) return undefined;
    const comment = match[2] ? ` ${match[2]}` : '';
    return { range: { start: key.end, end: lineEnd }, newText: `${match[1]}${comment}\n${body}` };
  }
  return appendAtEnd(text, `${direction}:\n${body}\n`);
}

/** An edit that adds top-level text at the end of the file, on a line of its own. */
export function appendAtEnd(text: string, block: string): TextEdit {
  const needsNewline = text.length > 0 && !text.endsWith('\n');
  return { range: { start: text.length, end: text.length }, newText: `${needsNewline ? '\n' : ''}${block}` };
}

/**
 * An edit that adds values to a YAML value that is a scalar (becomes a flow list), a flow list (values
 * appended before `]`) or a block list (new `- value` lines after its last item). `range` is the value's
 * absolute range. Values are YAML text.
 */
export function appendToList(text: string, range: Range, values: string[]): TextEdit | undefined {
  return withEol(text, appendToListLf(text, range, values));
}

function appendToListLf(text: string, range: Range, values: string[]): TextEdit | undefined {
  const written = text.slice(range.start, range.end);
  if (values.length === 0) return undefined;
  if (written.startsWith('[')) {
    const close = written.lastIndexOf(']');
    if (close === -1) return undefined;
    const inside = written.slice(1, close).trim();
    const at = range.start + close;
    // Keep the closing bracket where it is; trim the space before it out of the way.
    let start = at;
    while (start > range.start + 1 && /\s/.test(text[start - 1])) start--;
    return { range: { start, end: start }, newText: `${inside === '' ? '' : ', '}${values.join(', ')}` };
  }
  if (written.startsWith('-')) {
    const dashColumn = columnOf(text, range.start);
    const at = lineEndOf(text, Math.max(range.start, range.end - 1));
    return { range: { start: at, end: at }, newText: values.map((value) => `\n${' '.repeat(dashColumn)}- ${value}`).join('') };
  }
  if (written.includes('\n') || written.startsWith('{') || /^[|>]/.test(written) || written === '') return undefined;
  return { range, newText: `[${[written, ...values].join(', ')}]` };
}

/** An edit that deletes a block rule item with its lines (comments on its lines go with it). */
export function removeItemLines(text: string, rule: AllowRule): TextEdit | undefined {
  if (!isBlockItem(text, rule)) return undefined;
  const item = absolute(rule, rule.range);
  const start = lineStartOf(text, item.start);
  const newline = text.indexOf('\n', Math.max(item.start, item.end - 1));
  return { range: { start, end: newline === -1 ? text.length : newline + 1 }, newText: '' };
}

/** An edit that adds `- path: '<path>'` to `endpoint-protection.exclusions`, creating the list or the
 * whole section where they are missing. */
export function addExclusion(model: AllowlistModel, path: string): TextEdit | undefined {
  return withEol(model.text, addExclusionLf(model, path));
}

/** A key's empty value (nothing, `~` or `null`, on the key's line) given `lines` below it: the `~` or `null` goes (left
 * there, the key would hold both it and the lines, which YAML refuses), the line's comment stays. */
function nullValueReplaced(text: string, value: Range, lines: string): TextEdit {
  let start = value.start;
  while (text[start - 1] === ' ') start--;
  const end = lineEndOf(text, value.start);
  const comment = text.slice(value.end, end).trim();
  return { range: { start, end }, newText: `${comment ? ` ${comment}` : ''}${lines}` };
}

function addExclusionLf(model: AllowlistModel, path: string): TextEdit | undefined {
  const text = model.text;
  const item = `path: ${singleQuoted(path)}`;
  const section = model.endpointProtection;
  if (!section) return appendAtEnd(text, `endpoint-protection:\n  exclusions:\n    - ${item}\n`);
  const keyColumn = columnOf(text, section.keyRange.start);
  if (section.exclusionsRange) {
    const written = text.slice(section.exclusionsRange.start, section.exclusionsRange.end);
    if (written.startsWith('[')) return appendToList(text, section.exclusionsRange, [`{ ${item} }`]);
    if (written.startsWith('-')) return appendToList(text, section.exclusionsRange, [item]);
    // `exclusions:` with no value (an empty or `~` node on the key's line).
    if (!/^(~|null)?$/.test(written)) return undefined;
    const indent = /^ */.exec(text.slice(lineStartOf(text, section.exclusionsRange.start)))![0].length;
    return nullValueReplaced(text, section.exclusionsRange, `\n${' '.repeat(indent + 2)}- ${item}`);
  }
  const value = text.slice(section.range.start, section.range.end);
  if (/^(~|null)?$/.test(value)) {
    // `endpoint-protection:` with no value.
    const pad = ' '.repeat(keyColumn + 2);
    return nullValueReplaced(text, section.range, `\n${pad}exclusions:\n${pad}  - ${item}`);
  }
  if (value.startsWith('{') || value.startsWith('[')) return undefined;
  const column = columnOf(text, section.range.start);
  const at = lineEndOf(text, Math.max(section.range.start, section.range.end - 1));
  return { range: { start: at, end: at }, newText: `\n${' '.repeat(column)}exclusions:\n${' '.repeat(column + 2)}- ${item}` };
}
