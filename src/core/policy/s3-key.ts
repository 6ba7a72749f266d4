/** The rules every key upgate generates must pass, stricter than S3's own. */

const encoder = new TextEncoder();
// C0 controls, DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `key` is not a safe S3 key, or undefined when it is: 1 to 1024 bytes of valid UTF-8, no
 * control characters, and every "/"-separated segment non-empty and neither "." nor "..". That
 * rules out a leading or trailing "/" and "//", which some tools turn into other paths.
 */
export function s3KeyProblem(key: string): string | undefined {
  if (typeof key !== "string" || key.length === 0) return "a key cannot be empty";
  if (!key.isWellFormed()) return "a key must be valid Unicode (it has a lone surrogate)";
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so short keys need no count.
  if (key.length > 341 && encoder.encode(key).length > 1024) return "a key is at most 1024 bytes of UTF-8";
  if (CONTROL.test(key)) return "a key cannot contain control characters";
  for (const segment of key.split("/")) {
    if (segment === "") return 'a key cannot start or end with "/" or contain "//"';
    if (segment === "." || segment === "..") return `a key cannot contain a "${segment}" segment`;
  }
  return undefined;
}

export function isSafeKey(key: string): boolean {
  return s3KeyProblem(key) === undefined;
}
