import type { ByteRange } from "../backend/types.js";
import { S3Error } from "../errors.js";

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/**
 * The byte span a Range header asks of an object of `size` bytes, as S3 reads it: one range only
 * (a list of ranges, or anything that does not parse, is ignored and the whole object is sent);
 * the end is clamped to the last byte; a suffix longer than the object means the whole object; a
 * start at or past the end (or any range of an empty object) is 416 InvalidRange.
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = SINGLE.exec(header.trim());
  if (!m) return undefined;
  const [, first = "", last = ""] = m;
  if (first === "" && last === "") return undefined;
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? Number.POSITIVE_INFINITY : Number(last);
  if (end < start) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  return { start, end: Math.min(end, size - 1) };
}

function unsatisfiable(header: string, size: number): S3Error {
  return new S3Error("InvalidRange", undefined, [
    ["RangeRequested", header],
    ["ActualObjectSize", String(size)],
  ]);
}
