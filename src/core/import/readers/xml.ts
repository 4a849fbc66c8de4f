/** A small, strict XML reader for the subset pfSense's config.xml uses: elements, attributes, text, CDATA, comments,
 * processing instructions (the XML declaration), the five predefined entities and numeric character references, with
 * the line of each element. One pass, no recursion. Document type declarations are refused rather than expanded, so
 * no entity can grow the input (billion laughs). */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (CDATA included), children's text excluded. */
  text: string;
  /** 1-based line of the element's start tag. */
  line: number;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.-]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Character data with its references replaced; an unknown or malformed reference is an error. */
function decode(raw: string, line: number): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&<]{0,10});?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new XmlError(`an "&" that starts no reference (write &amp;)`, line);
    if (body in PREDEFINED) return PREDEFINED[body];
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(body);
    const code = numeric ? parseInt(numeric[1] ?? numeric[2], numeric[1] ? 16 : 10) : NaN;
    if (!(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError(`an unknown reference "&${body.slice(0, 10)};"`, line);
    return String.fromCodePoint(code);
  });
}

/** The document's root element. Throws XmlError (with a line) on anything not well-formed. */
export function parseXml(text: string): XmlElement {
  let position = 0;
  let line = 1;
  let counted = 0;
  /** Line of `position`, counting newlines only once each (linear overall). */
  const lineAt = (to: number): number => {
    for (; counted < to; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (message: string, at = position): never => {
    throw new XmlError(message, lineAt(at));
  };
  const until = (terminator: string, what: string): number => {
    const end = text.indexOf(terminator, position);
    if (end < 0) fail(`${what} is not closed ("${terminator}" missing)`);
    return end;
  };
  const name = (): string => {
    NAME.lastIndex = position;
    const match = NAME.exec(text);
    if (!match) return fail('a tag without a valid name');
    position += match[0].length;
    return match[0];
  };
  const skipSpace = () => {
    while (position < text.length && /\s/.test(text[position])) position++;
  };
  const addText = (value: string, at: number) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.text += value;
    else if (value.trim() !== '') fail('text outside the root element', at);
  };

  while (position < text.length) {
    const open = text.indexOf('<', position);
    const textEnd = open < 0 ? text.length : open;
    if (textEnd > position) {
      addText(decode(text.slice(position, textEnd), lineAt(position)), position);
      position = textEnd;
      continue;
    }
    if (text.startsWith('<!--', position)) {
      position = until('-->', 'a comment') + 3;
    } else if (text.startsWith('<![CDATA[', position)) {
      const start = position + 9;
      position = until(']]>', 'a CDATA section');
      if (!stack.length) fail('CDATA outside the root element');
      addText(text.slice(start, position), start);
      position += 3;
    } else if (text.startsWith('<?', position)) {
      position = until('?>', 'a processing instruction') + 2;
    } else if (text.startsWith('<!', position)) {
      fail('a document type or entity declaration (<!DOCTYPE, <!ENTITY): refused, config.xml has none and entities could expand without bound');
    } else if (text.startsWith('</', position)) {
      const at = position;
      position += 2;
      const closing = name();
      skipSpace();
      if (text[position] !== '>') fail(`the end tag </${closing}> is not closed`);
      position++;
      const element = stack.pop();
      if (!element) fail(`an end tag </${closing}> without a start tag`, at);
      else if (element.name !== closing) fail(`</${closing}> closes <${element.name}> (line ${element.line})`, at);
    } else {
      const at = position;
      position++;
      const element: XmlElement = { name: name(), attributes: {}, children: [], text: '', line: lineAt(at) };
      if (!stack.length && root) fail('a second root element', at);
      for (;;) {
        skipSpace();
        if (position >= text.length) fail(`the start tag <${element.name}> is not closed`, at);
        if (text.startsWith('/>', position) || text[position] === '>') break;
        const attribute = name();
        skipSpace();
        if (text[position] !== '=') fail(`the attribute ${attribute} has no value`);
        position++;
        skipSpace();
        const quote = text[position];
        if (quote !== '"' && quote !== "'") fail(`the value of ${attribute} is not quoted`);
        const end = text.indexOf(quote, position + 1);
        if (end < 0) fail(`the value of ${attribute} is not closed`);
        const raw = text.slice(position + 1, end);
        if (raw.includes('<')) fail(`a "<" in the value of ${attribute}`);
        if (attribute in element.attributes) fail(`the attribute ${attribute} twice`);
        element.attributes[attribute] = decode(raw, lineAt(position));
        position = end + 1;
      }
      const selfClosing = text[position] === '/';
      position += selfClosing ? 2 : 1;
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
  }
  if (stack.length) fail(`<${stack[stack.length - 1].name}> (line ${stack[stack.length - 1].line}) is not closed`, text.length);
  if (!root) fail('no root element', text.length);
  return root!;
}

/** The first child element of that name. */
export const child = (element: XmlElement | undefined, name: string): XmlElement | undefined => element?.children.find((each) => each.name === name);

/** The trimmed text of the first child of that name, or undefined. */
export const childText = (element: XmlElement | undefined, name: string): string | undefined => child(element, name)?.text.trim();
