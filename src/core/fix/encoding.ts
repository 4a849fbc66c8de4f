/** Bytes for fixed text in the encoding the file was read in (decode.ts's decodeText takes the byte order mark off):
 * a UTF-8 file keeps its byte order mark if it had one, a UTF-16 file stays UTF-16 in its byte order. */
export function encodeLike(original: Uint8Array, text: string): Buffer {
  if (original[0] === 0xff && original[1] === 0xfe) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (original[0] === 0xfe && original[1] === 0xff) return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  return Buffer.from(hasUtf8Bom(original) ? `\uFEFF${text}` : text, 'utf8');
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
