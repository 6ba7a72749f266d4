import type { XmlNode } from "../../core/s3/xml.js";
import type { ObjectMeta } from "../backend/types.js";
import { checksumElements, checksumTypeOf } from "../checksums/response.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendXml } from "../respond.js";
import { requireBucket } from "./common.js";
import { checkVersionId } from "./version-id.js";

const ATTRIBUTES = new Set(["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]);
const PAGE_LIMIT = 1000;

/** x-amz-object-attributes: a comma-separated list of S3's attribute names, at least one. */
function requestedAttributes(ctx: RequestContext): Set<string> {
  const names = (ctx.headers.get("x-amz-object-attributes") ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (names.length === 0) {
    throw new S3Error(
      "InvalidRequest",
      "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty",
    );
  }
  for (const name of names) {
    if (!ATTRIBUTES.has(name)) {
      throw new S3Error("InvalidArgument", "Invalid attribute name specified.", [
        ["ArgumentName", "x-amz-object-attributes"],
        ["ArgumentValue", name],
      ]);
    }
  }
  return new Set(names);
}

/** x-amz-max-parts / x-amz-part-number-marker: non-negative integers, or S3's InvalidArgument. */
function integerHeader(ctx: RequestContext, name: string, fallback: number): number {
  const text = ctx.headers.get(name);
  if (text === undefined) return fallback;
  if (!/^\d{1,10}$/.test(text.trim()) || Number(text) > 2_147_483_647) {
    throw new S3Error("InvalidArgument", `Provided ${name} not an integer or within integer range`, [
      ["ArgumentName", name],
      ["ArgumentValue", text],
    ]);
  }
  return Number(text);
}

/**
 * ObjectParts of a multipart object. Parts are listed (with their size and checksum) only when the
 * object has an additional checksum, as on S3's general purpose buckets; otherwise only the count.
 */
function objectParts(meta: ObjectMeta, maxParts: number, marker: number): XmlNode | undefined {
  if (meta.partsCount === undefined) return undefined;
  const names = Object.keys(meta.checksums);
  const sizes = meta.partSizes;
  const sums = meta.partChecksums;
  if (names.length === 0 || !sizes || !sums) return { PartsCount: meta.partsCount };
  const after = sizes.map((size, i) => ({ number: i + 1, size })).filter((p) => p.number > marker);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  const node: XmlNode = {
    IsTruncated: truncated,
    MaxParts: maxParts,
    NextPartNumberMarker: page.at(-1)?.number ?? marker,
    PartNumberMarker: marker,
  };
  node.Part = page.map((p) => {
    // The part's value of the object's algorithm (a part may carry others the object does not keep).
    const stored = sums[p.number - 1] ?? {};
    const own: Record<string, string> = {};
    for (const name of names) if (stored[name] !== undefined) own[name] = stored[name];
    return { ...checksumElements(own), PartNumber: p.number, Size: p.size };
  });
  node.PartsCount = meta.partsCount;
  return node;
}

/** GET /bucket/key?attributes: what x-amz-object-attributes asks for, without the object's bytes. */
export async function getObjectAttributes(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const key = ctx.key!;
  checkVersionId(ctx);
  const wanted = requestedAttributes(ctx);
  const maxParts = Math.min(integerHeader(ctx, "x-amz-max-parts", PAGE_LIMIT), PAGE_LIMIT);
  const marker = integerHeader(ctx, "x-amz-part-number-marker", 0);
  const meta = await ctx.state.backend.headObject(bucket.name, key);
  if (!meta) throw new S3Error("NoSuchKey", undefined, [["Key", key]]);
  const body: XmlNode = {};
  if (wanted.has("ETag")) body.ETag = meta.etag.replace(/^"(.*)"$/, "$1");
  if (wanted.has("Checksum") && Object.keys(meta.checksums).length > 0) {
    body.Checksum = {
      ...checksumElements(meta.checksums),
      ChecksumType: checksumTypeOf(meta.checksums, meta.checksumType),
    };
  }
  if (wanted.has("ObjectParts")) {
    const parts = objectParts(meta, maxParts, marker);
    if (parts) body.ObjectParts = parts;
  }
  if (wanted.has("StorageClass")) body.StorageClass = "STANDARD";
  if (wanted.has("ObjectSize")) body.ObjectSize = meta.size;
  sendXml(ctx, 200, "GetObjectAttributesResponse", body, {
    "last-modified": meta.lastModified.toUTCString(),
  });
}
