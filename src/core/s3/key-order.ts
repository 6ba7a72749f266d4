/**
 * Compares two well-formed strings in UTF-8 byte order (S3's listing order), which is code point order.
 * JS's `<` compares UTF-16 code units, which puts U+E000..U+FFFF after astral characters; the fix-up
 * below moves surrogates above that range so code units compare as code points would.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
