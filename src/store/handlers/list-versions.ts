import type { XmlNode } from "../../core/s3/xml.js";
import type { RequestContext } from "../context.js";
import { sendXml } from "../respond.js";
import { requireBucket } from "./common.js";
import { collectEntries, entryName } from "./list-collect.js";
import { encoder, invalidArgument, parseMaxKeys, wholeSeconds } from "./list-objects.js";
import { ownerOf } from "./owner.js";

/**
 * GET /bucket?versions: ListObjectVersions as S3 answers it for a bucket that was never versioned
 * (every bucket here), where each object is its only version, with the version id "null".
 */
export async function listObjectVersions(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const maxKeys = parseMaxKeys(ctx);
  const encodeOrUndefined = encoder(ctx);
  const encode = encodeOrUndefined ?? ((v: string) => v);
  const prefix = ctx.query.get("prefix") ?? "";
  const delimiter = ctx.query.get("delimiter") ?? "";
  const keyMarker = ctx.query.get("key-marker") ?? "";
  const versionIdMarker = ctx.query.get("version-id-marker") ?? "";
  if (versionIdMarker !== "" && keyMarker === "") {
    throw invalidArgument(
      "A version-id marker cannot be specified without a key marker.",
      "version-id-marker",
      versionIdMarker,
    );
  }
  if (versionIdMarker !== "" && versionIdMarker !== "null") {
    throw invalidArgument("Invalid version id specified", "version-id-marker", versionIdMarker);
  }
  const { entries, truncated } = await collectEntries(ctx.state.backend, bucket.name, {
    prefix,
    delimiter,
    after: keyMarker || undefined,
    maxKeys,
  });
  const owner = ownerOf(ctx);
  const versions: XmlNode[] = [];
  const prefixes: XmlNode[] = [];
  for (const entry of entries) {
    if (entry.kind === "prefix") {
      prefixes.push({ Prefix: encode(entry.prefix) });
      continue;
    }
    const meta = entry.meta;
    versions.push({
      Key: encode(meta.key),
      VersionId: "null",
      IsLatest: true,
      LastModified: wholeSeconds(meta.lastModified),
      ETag: meta.etag,
      Size: meta.size,
      Owner: owner,
      StorageClass: "STANDARD",
    });
  }
  const last = entries.at(-1);
  sendXml(ctx, 200, "ListVersionsResult", {
    Name: bucket.name,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    NextKeyMarker: truncated && last ? encode(entryName(last)) : undefined,
    NextVersionIdMarker: truncated && last?.kind === "object" ? "null" : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === "" ? undefined : encode(delimiter),
    EncodingType: encodeOrUndefined ? "url" : undefined,
    IsTruncated: truncated,
    Version: versions,
    CommonPrefixes: prefixes,
  });
}
