import { MAX_PART_NUMBER } from "../backend/names.js";
import type { ByteRange, ObjectMeta } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";

/** The partNumber query parameter: an integer from 1 to 10,000, or S3's InvalidArgument. */
export function partNumberOf(ctx: RequestContext): number {
  const text = ctx.query.get("partNumber") ?? "";
  const n = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_PART_NUMBER)) {
    throw new S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", [
      ["ArgumentName", "partNumber"],
      ["ArgumentValue", text],
    ]);
  }
  return n;
}

/** What a read by partNumber sends: the part's bytes of a multipart object, or a whole single-part one. */
export type PartSelection =
  | { kind: "part"; range: ByteRange | undefined; partsCount: number }
  | { kind: "whole" };

/**
 * GetObject and HeadObject with ?partNumber=N. A multipart object's part N is sent as a 206 with
 * Content-Range and x-amz-mp-parts-count; a single-part object is its own part 1. Any other number is
 * 400 InvalidPart. `range` is undefined for an empty part.
 */
export function selectPart(meta: ObjectMeta, partNumber: number): PartSelection {
  const sizes = meta.partSizes;
  if (!sizes && meta.partsCount !== undefined) {
    throw new S3Error(
      "NotImplemented",
      "Reads by partNumber are not implemented for multipart objects stored before part sizes were recorded",
    );
  }
  if (!sizes) {
    if (partNumber === 1) return { kind: "whole" };
    throw new S3Error("InvalidPart", undefined, [["PartNumber", String(partNumber)]]);
  }
  if (partNumber > sizes.length) {
    throw new S3Error("InvalidPart", undefined, [["PartNumber", String(partNumber)]]);
  }
  const start = sizes.slice(0, partNumber - 1).reduce((sum, n) => sum + n, 0);
  const size = sizes[partNumber - 1]!;
  return {
    kind: "part",
    range: size === 0 ? undefined : { start, end: start + size - 1 },
    partsCount: sizes.length,
  };
}
