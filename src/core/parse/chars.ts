/** Character tests of the hand-written readers (the scanner, addresses, ports): char codes, no regular expressions. */

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Whether `text` from `start` to `end` is ASCII digits only (true for an empty span). */
export function isDigits(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) if (!isDigit(text.charCodeAt(at))) return false;
  return true;
}
