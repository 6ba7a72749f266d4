import { z } from "zod";
import { parseDuration } from "../../core/util/duration.js";
import { parseSize } from "../../core/util/sizes.js";
import { readableIssue } from "./issues.js";

export const isFunction = (value: unknown): value is (...args: never[]) => unknown =>
  typeof value === "function";

/** A value converted by a core parser whose UpgateError message becomes the issue. */
function parsedBy<T>(parse: (value: number | string) => T, expected: string) {
  return z.union([z.number(), z.string()], { error: expected }).transform((value, ctx) => {
    try {
      return parse(value);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });
}

/** A size in bytes: a number or "10MB". */
export const size = parsedBy(parseSize, 'must be a number of bytes or a string like "10MB"');

/** A duration in milliseconds: a number of seconds or "5m". */
export const duration = parsedBy(
  parseDuration,
  'must be a number of seconds or a string like "30s", "5m" or "1h"',
);

export function fn<T>(what: string) {
  return z.custom<T>(isFunction, { error: `${what} must be a function` });
}

/**
 * `a` when `pick(value)`, else `b`: a union whose problems come from the branch the value was
 * meant for, instead of zod's "Invalid input" for the union as a whole.
 */
export function oneOf<A, B>(pick: (value: unknown) => boolean, a: z.ZodType<A>, b: z.ZodType<B>) {
  return z.unknown().transform((value, ctx): A | B => {
    const result = (pick(value) ? a : b).safeParse(value, { error: readableIssue });
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  });
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** An http(s) URL; `httpsOnly` allows plain http only to loopback (local development and tests). */
export function httpUrl(what: string, httpsOnly = false) {
  return z.string().transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `${what} must be an absolute URL like "https://..."` });
      return z.NEVER;
    }
    const allowed =
      url.protocol === "https:" || (url.protocol === "http:" && (!httpsOnly || LOOPBACK.test(url.hostname)));
    if (!allowed) {
      const rule = httpsOnly ? "https (http only to localhost)" : "http or https";
      ctx.addIssue({ code: "custom", message: `${what} must use ${rule}, got ${url.protocol}` });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: `${what} must not contain credentials` });
      return z.NEVER;
    }
    return url;
  });
}
