import { expect } from "vitest";
import type { VerifyOptions, VerifyResult } from "../../src/core/sigv4/verify.js";
import type { VerifyPostResult } from "../../src/core/sigv4/verify-post.js";
import { amzDateToDate, type S3DocExamples } from "./vectors.js";

/** Verifier options for an example: its key pair, its region, and a clock a minute after it was signed. */
export const exampleVerifyOptions = (ex: S3DocExamples, region: string, amzDate: string): VerifyOptions => ({
  region,
  lookupSecret: (id) => (id === ex.credentials.accessKeyId ? ex.credentials.secretAccessKey : undefined),
  now: new Date(amzDateToDate(amzDate).getTime() + 60_000),
});

/** Changes one character: the next hex digit, digit or letter, so the text stays well-formed. */
export function flip(text: string, index: number): string {
  const i = index < 0 ? text.length + index : index;
  const c = text[i];
  if (c === undefined) throw new Error(`no character at ${index} in ${JSON.stringify(text)}`);
  const next = /[0-9a-f]/.test(c)
    ? ((Number.parseInt(c, 16) + 1) % 16).toString(16)
    : /[a-z]/i.test(c)
      ? String.fromCharCode(c.charCodeAt(0) + (c === "z" || c === "Z" ? -25 : 1))
      : "_";
  return text.slice(0, i) + next + text.slice(i + 1);
}

export function expectOk(result: VerifyResult | VerifyPostResult): void {
  expect(result.ok ? "ok" : `${result.error.code}: ${result.error.message}`).toBe("ok");
}

export function expectMismatch(result: VerifyResult | VerifyPostResult): void {
  expect(result.ok ? "ok" : result.error.code).toBe("SignatureDoesNotMatch");
}
