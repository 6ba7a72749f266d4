import type { XmlNode } from "../../core/s3/xml.js";
import type { ObjectMeta } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendXml } from "../respond.js";
import { requireBucket } from "./common.js";
import { collectEntries, entryName, type ListEntry } from "./list-collect.js";
import { ownerOf } from "./owner.js";

const MAX_KEYS = 1000;
const TOKEN_TAG = "k1:";

function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error("InvalidArgument", message, [
    ["ArgumentName", name],
    ["ArgumentValue", value],
  ]);
}

function parseMaxKeys(ctx: RequestContext): number {
  const text = ctx.query.get("max-keys");
  if (text === undefined) return MAX_KEYS;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2_147_483_647) {
    throw invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", text);
  }
  return Math.min(Number(text), MAX_KEYS);
}

/**
 * encoding-type=url as S3 applies it: UTF-8 percent-encoding with "/" kept, a space as "+", and
 * only letters, digits and - _ . * left as they are.
 */
export function listEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/");
}

function encoder(ctx: RequestContext): ((value: string) => string) | undefined {
  const type = ctx.query.get("encoding-type");
  if (type === undefined) return undefined;
  if (type.toLowerCase() !== "url") {
    throw invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", type);
  }
  return listEncode;
}

/** Continuation tokens are opaque to clients: a tagged base64url of the name to resume after. */
export function encodeToken(name: string): string {
  return Buffer.from(TOKEN_TAG + name, "utf8").toString("base64url");
}

function decodeToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  if (!text.startsWith(TOKEN_TAG) || encodeToken(text.slice(TOKEN_TAG.length)) !== token) {
    throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
  }
  return text.slice(TOKEN_TAG.length);
}

/** Listings show whole seconds, like Last-Modified. */
const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

function contents(meta: ObjectMeta, encode: (v: string) => string, owner: XmlNode | undefined): XmlNode {
  const algorithms = Object.keys(meta.checksums).map((a) => a.toUpperCase());
  const composite = Object.values(meta.checksums).some((v) => /-\d+$/.test(v));
  return {
    Key: encode(meta.key),
    LastModified: wholeSeconds(meta.lastModified),
    ETag: meta.etag,
    ChecksumAlgorithm: algorithms,
    ChecksumType: algorithms.length > 0 ? (composite ? "COMPOSITE" : "FULL_OBJECT") : undefined,
    Size: meta.size,
    Owner: owner,
    StorageClass: "STANDARD",
  };
}

function renderEntries(entries: ListEntry[], encode: (v: string) => string, owner: XmlNode | undefined) {
  const objects: XmlNode[] = [];
  const prefixes: XmlNode[] = [];
  for (const entry of entries) {
    if (entry.kind === "object") objects.push(contents(entry.meta, encode, owner));
    else prefixes.push({ Prefix: encode(entry.prefix) });
  }
  return { objects, prefixes };
}

/** GET /bucket: ListObjectsV2 with list-type=2, the original ListObjects otherwise. */
export async function listObjects(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const listType = ctx.query.get("list-type");
  if (listType !== undefined && listType !== "2") {
    throw invalidArgument("Invalid List Type specified in Request", "list-type", listType);
  }
  const maxKeys = parseMaxKeys(ctx);
  const encodeOrUndefined = encoder(ctx);
  const encode = encodeOrUndefined ?? ((v: string) => v);
  const prefix = ctx.query.get("prefix") ?? "";
  const delimiter = ctx.query.get("delimiter") ?? "";
  const common = {
    Name: bucket.name,
    Prefix: encode(prefix),
  };
  if (listType === "2") {
    const token = ctx.query.get("continuation-token");
    const startAfter = ctx.query.get("start-after");
    const after = token !== undefined ? decodeToken(token) : startAfter || undefined;
    const { entries, truncated } = await collectEntries(ctx.state.backend, bucket.name, {
      prefix,
      delimiter,
      after,
      maxKeys,
    });
    const owner = ctx.query.get("fetch-owner") === "true" ? ownerOf(ctx) : undefined;
    const { objects, prefixes } = renderEntries(entries, encode, owner);
    sendXml(ctx, 200, "ListBucketResult", {
      ...common,
      ContinuationToken: token,
      StartAfter: startAfter === undefined ? undefined : encode(startAfter),
      KeyCount: entries.length,
      MaxKeys: maxKeys,
      Delimiter: delimiter === "" ? undefined : encode(delimiter),
      EncodingType: encodeOrUndefined ? "url" : undefined,
      IsTruncated: truncated,
      NextContinuationToken: truncated ? encodeToken(entryName(entries.at(-1)!)) : undefined,
      Contents: objects,
      CommonPrefixes: prefixes,
    });
    return;
  }
  const marker = ctx.query.get("marker") ?? "";
  const { entries, truncated } = await collectEntries(ctx.state.backend, bucket.name, {
    prefix,
    delimiter,
    after: marker || undefined,
    maxKeys,
  });
  const { objects, prefixes } = renderEntries(entries, encode, ownerOf(ctx));
  sendXml(ctx, 200, "ListBucketResult", {
    ...common,
    Marker: encode(marker),
    // S3 sends NextMarker only with a delimiter; otherwise clients resume after the last key.
    NextMarker: truncated && delimiter !== "" ? encode(entryName(entries.at(-1)!)) : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === "" ? undefined : encode(delimiter),
    EncodingType: encodeOrUndefined ? "url" : undefined,
    IsTruncated: truncated,
    Contents: objects,
    CommonPrefixes: prefixes,
  });
}
