import { pipeline } from "node:stream/promises";
import type { ByteRange, ObjectMeta } from "../backend/types.js";
import { readChecksumHeaders } from "../checksums/response.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { objectResponseHeaders, requireBucket } from "./common.js";
import { partNumberOf, selectPart } from "./part-number.js";
import { resolveRange } from "./range.js";
import { evaluateConditions, READ_CONDITIONS } from "./read-conditions.js";
import { checkVersionId } from "./version-id.js";

/** response-* query parameters (allowed on signed requests) and the header each one overrides. */
const OVERRIDES: ReadonlyArray<readonly [string, string]> = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"],
];

/** A version may be replaced between the HEAD and the read; then the request is evaluated again. */
const MAX_ATTEMPTS = 3;

export const getObject = (ctx: RequestContext): Promise<void> => serveObject(ctx, true);
export const headObject = (ctx: RequestContext): Promise<void> => serveObject(ctx, false);

function noSuchKey(key: string): S3Error {
  return new S3Error("NoSuchKey", undefined, [["Key", key]]);
}

/** The bytes a read sends: the whole object, a Range, or one part (?partNumber). */
interface Selection {
  range: ByteRange | undefined;
  status: 200 | 206;
  /** Set for a part of a multipart object. */
  partsCount?: number;
  partNumber?: number;
}

function select(ctx: RequestContext, meta: ObjectMeta, partNumber: number | undefined): Selection {
  if (partNumber === undefined) {
    const range = resolveRange(ctx.headers.get("range"), meta.size);
    return { range, status: range ? 206 : 200 };
  }
  const part = selectPart(meta, partNumber);
  if (part.kind === "whole") return { range: undefined, status: 200 };
  return { range: part.range, status: 206, partsCount: part.partsCount, partNumber };
}

function responseHeaders(
  ctx: RequestContext,
  meta: ObjectMeta,
  selection: Selection,
): Record<string, string> {
  const { range, partsCount, partNumber } = selection;
  const headers = objectResponseHeaders(meta, false);
  if (ctx.headers.get("x-amz-checksum-mode")?.toUpperCase() === "ENABLED") {
    const read =
      partNumber !== undefined ? { partNumber } : range ? { range: true as const } : { whole: true as const };
    Object.assign(headers, readChecksumHeaders(meta, read));
  }
  for (const [param, header] of OVERRIDES) {
    const value = ctx.query.get(param);
    if (value !== undefined) headers[header] = value;
  }
  if (partsCount !== undefined) headers["x-amz-mp-parts-count"] = String(partsCount);
  if (range) {
    headers["content-range"] = `bytes ${range.start}-${range.end}/${meta.size}`;
    headers["content-length"] = String(range.end - range.start + 1);
  } else {
    headers["content-length"] = String(partsCount === undefined ? meta.size : 0);
  }
  return headers;
}

function writeHead(ctx: RequestContext, status: number, headers: Record<string, string>): void {
  ctx.res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) ctx.res.setHeader(name, value);
}

async function serveObject(ctx: RequestContext, withBody: boolean): Promise<void> {
  const bucket = await requireBucket(ctx);
  const key = ctx.key!;
  checkVersionId(ctx);
  const partNumber = ctx.query.has("partNumber") ? partNumberOf(ctx) : undefined;
  if (partNumber !== undefined && ctx.headers.has("range")) {
    throw new S3Error("InvalidRequest", "Cannot specify both Range header and partNumber query parameter");
  }
  const backend = ctx.state.backend;
  for (let attempt = 1; ; attempt++) {
    const meta = await backend.headObject(bucket.name, key);
    if (!meta) throw noSuchKey(key);
    const outcome = evaluateConditions(meta, ctx.headers, READ_CONDITIONS);
    if (outcome.kind === "failed") {
      throw new S3Error("PreconditionFailed", undefined, [["Condition", outcome.condition]]);
    }
    if (outcome.kind === "not-modified") {
      writeHead(ctx, 304, { etag: meta.etag, "last-modified": meta.lastModified.toUTCString() });
      ctx.res.end();
      return;
    }
    const selection = select(ctx, meta, partNumber);
    if (!withBody) {
      writeHead(ctx, selection.status, responseHeaders(ctx, meta, selection));
      ctx.res.end();
      return;
    }
    // An empty part is read as an empty range of the object.
    const readRange =
      selection.range ??
      (selection.partsCount !== undefined ? { start: meta.size, end: meta.size } : undefined);
    const read = await backend.readObject(bucket.name, key, readRange);
    if (!read) throw noSuchKey(key);
    if (read.meta.etag !== meta.etag || read.meta.lastModified.getTime() !== meta.lastModified.getTime()) {
      read.body.destroy();
      if (attempt < MAX_ATTEMPTS) continue;
      throw new S3Error(
        "InternalError",
        "The object kept changing while it was being read. Please try again.",
      );
    }
    writeHead(ctx, selection.status, responseHeaders(ctx, read.meta, selection));
    // pipeline applies backpressure and destroys both sides on failure: a read error midway
    // destroys the socket, so the client sees a truncated response rather than a short 200.
    await pipeline(read.body, ctx.res);
    return;
  }
}
