import type { XmlNode } from "../../core/s3/xml.js";
import type { ObjectMeta } from "../backend/types.js";
import { checksumTypeOf } from "../checksums/response.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendXml } from "../respond.js";
import { requireBucket } from "./common.js";
import { collectEntries, entryName, type ListEntry } from "./list-collect.js";
import { ownerOf } from "./owner.js";

const MAX_KEYS = 1000;
const TOKEN_TAG = "k1:";

export function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error("InvalidArgument", message, [
    ["ArgumentName", name],
    ["ArgumentValue", value],
  ]);
}

export function parseMaxKeys(ctx: RequestContext): number {
  const text = ctx.query.get("max-keys");
  if (text === undefined) return MAX_KEYS;
  if (!/^\d{1,10}$/.test(text) || Number(text) > 2_147_483_647) {
    throw invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", text);
  }
  return Math.min(Number(text), MAX_KEYS);
}

/**
 * encoding-type=url: UTF-8 percent-encoding with "/" kept and only letters, digits and - _ . * left
 * as they are. A space is "%20", as Ceph RGW and MinIO write it (and ceph/s3-tests expects): AWS has
 * been observed writing "+", which only form decoders (botocore's unquote_plus) read back as a space,
 * while "%20" reads back right with every decoder, decodeURIComponent included.
 */
export function listEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, "/");
}

export function encoder(ctx: RequestContext): ((value: string) => string) | undefined {
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
export const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);

function contents(meta: ObjectMeta, encode: (v: string) => string, owner: XmlNode | undefined): XmlNode {
  const algorithms = Object.keys(meta.checksums).map((a) => a.toUpperCase());
  return {
    Key: encode(meta.key),
    LastModified: wholeSeconds(meta.lastModified),
    ETag: meta.etag,
    ChecksumAlgorithm: algorithms,
    ChecksumType: algorithms.length > 0 ? checksumTypeOf(meta.checksums, meta.checksumType) : undefined,
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

/** Whether XML 1.0 cannot carry `text`, even escaped (CR is written as a character reference). */
function notXml(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return true;
  }
  return false;
}

/**
 * ListObjects (v1) with encoding-type=url echoes Prefix as sent, as Ceph RGW does: botocore asks for
 * url encoding on every v1 listing and decodes Marker, NextMarker, Delimiter, Key and CommonPrefixes,
 * but never this element, so an encoded prefix would reach its users still encoded ("%0A" for a
 * newline). Only a prefix XML cannot carry is encoded.
 */
function v1Prefix(prefix: string): string {
  return notXml(prefix) ? listEncode(prefix) : prefix;
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
  if (listType === "2") {
    const token = ctx.query.get("continuation-token");
    const startAfter = ctx.query.get("start-after");
    // An empty continuation-token is no token (S3 and RGW list from the start, and echo it empty).
    const after = token ? decodeToken(token) : startAfter || undefined;
    const { entries, truncated } = await collectEntries(ctx.state.backend, bucket.name, {
      prefix,
      delimiter,
      after,
      maxKeys,
    });
    const owner = ctx.query.get("fetch-owner") === "true" ? ownerOf(ctx) : undefined;
    const { objects, prefixes } = renderEntries(entries, encode, owner);
    sendXml(ctx, 200, "ListBucketResult", {
      Name: bucket.name,
      Prefix: encode(prefix),
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
    Name: bucket.name,
    Prefix: encodeOrUndefined ? v1Prefix(prefix) : prefix,
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
