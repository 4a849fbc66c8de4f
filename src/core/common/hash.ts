/** A cache key for a text: not cryptographic (nothing here defends against chosen collisions), only a short,
 * stable stand-in for a long text that runs the same everywhere, in Node and in a browser's worker. Two
 * independent 32-bit FNV-1a-style lanes mixed to 64 bits, over the text's UTF-16 code units. */
export function cacheKey(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return (a >>> 0).toString(16).padStart(8, '0') + ((b ^ (b >>> 16)) >>> 0).toString(16).padStart(8, '0');
}
