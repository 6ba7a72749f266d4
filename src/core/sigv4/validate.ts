import { UpgateError } from "../errors.js";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/** Header names must be HTTP tokens; anything else could smuggle a second header. */
export function checkHeaderName(name: string): void {
  if (!TOKEN.test(name)) {
    throw new UpgateError("SIGN_INVALID_INPUT", `invalid header name ${JSON.stringify(name)}`);
  }
}

/** Values must not contain CR, LF or NUL (header injection), nor other control characters. */
export function checkHeaderValue(name: string, value: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) {
    throw new UpgateError("SIGN_INVALID_INPUT", `header ${name} has a control character in its value`);
  }
}

const encoder = new TextEncoder();

/** S3 keys: 1 to 1024 bytes of valid UTF-8. */
export function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) {
    throw new UpgateError("SIGN_INVALID_INPUT", "key must be a non-empty string");
  }
  if (!key.isWellFormed()) {
    throw new UpgateError("SIGN_INVALID_INPUT", "key is not valid Unicode (lone surrogate)");
  }
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so keys of up to 341 units need no count.
  if (key.length > 341 && encoder.encode(key).length > 1024) {
    throw new UpgateError("SIGN_INVALID_INPUT", "key is longer than S3's 1024-byte limit");
  }
}
