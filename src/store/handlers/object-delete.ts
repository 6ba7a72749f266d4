import type { XmlNode } from "../../core/s3/xml.js";
import { children, singleChildText, type XmlElement } from "../../core/s3/xml-read.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendEmpty, sendXml } from "../respond.js";
import { readXmlBody } from "../xml-body.js";
import { requireBucket } from "./common.js";
import { checkVersionId } from "./version-id.js";

const MAX_OBJECTS = 1000;
/** 1000 keys of up to 1024 bytes, each possibly written as character references, fit in this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const CONDITIONAL_DELETE_HEADERS = ["if-match", "x-amz-if-match-last-modified-time", "x-amz-if-match-size"];

/** DELETE /bucket/key: 204 whether or not the key existed. */
export async function deleteObject(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  checkVersionId(ctx);
  const conditional = CONDITIONAL_DELETE_HEADERS.find((h) => ctx.headers.has(h));
  if (conditional) {
    throw new S3Error("NotImplemented", "Conditional deletes are not implemented by the upgate store", [
      ["Header", conditional],
    ]);
  }
  await ctx.state.backend.deleteObject(bucket.name, ctx.key!);
  sendEmpty(ctx, 204);
}

/** S3 requires Content-MD5 or an x-amz-checksum-* (header or trailer) on a multi-object delete. */
function requireIntegrityHeader(ctx: RequestContext): void {
  const h = ctx.headers;
  if (h.has("content-md5")) return;
  for (const name of h.keys()) {
    if (
      name.startsWith("x-amz-checksum-") &&
      name !== "x-amz-checksum-mode" &&
      name !== "x-amz-checksum-type"
    )
      return;
  }
  if ((h.get("x-amz-trailer") ?? "").toLowerCase().includes("x-amz-checksum-")) return;
  throw new S3Error("InvalidRequest", "Missing required header for this request: Content-MD5");
}

interface DeleteEntry {
  key: string;
  versionId: string | undefined;
  conditional: boolean;
}

export function parseDeleteRequest(body: Buffer): { quiet: boolean; entries: DeleteEntry[] } {
  return readXmlBody(body, "Delete", ["Object"], (root) => {
    if (typeof root === "string") throw new S3Error("MalformedXML");
    const quietText = singleChildText(root, "Quiet")?.trim().toLowerCase();
    if (quietText !== undefined && quietText !== "true" && quietText !== "false")
      throw new S3Error("MalformedXML");
    const objects = children(root, "Object");
    if (objects.length === 0 || objects.length > MAX_OBJECTS) throw new S3Error("MalformedXML");
    const entries = objects.map((object: XmlElement): DeleteEntry => {
      const key = singleChildText(object, "Key");
      if (!key) throw new S3Error("MalformedXML");
      const conditional = ["ETag", "LastModifiedTime", "Size"].some(
        (name) => singleChildText(object, name) !== undefined,
      );
      return { key, versionId: singleChildText(object, "VersionId"), conditional };
    });
    return { quiet: quietText === "true", entries };
  });
}

function entryError(entry: DeleteEntry, code: string, message: string): XmlNode {
  return { Key: entry.key, VersionId: entry.versionId, Code: code, Message: message };
}

/** POST /bucket?delete: up to 1000 keys; per-key results, only errors in Quiet mode. */
export async function deleteObjects(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  requireIntegrityHeader(ctx);
  const { quiet, entries } = parseDeleteRequest(await ctx.readSmallBody(MAX_BODY_BYTES));
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const entry of entries) {
    if (Buffer.byteLength(entry.key) > 1024) {
      errors.push(entryError(entry, "KeyTooLongError", "Your key is too long"));
    } else if (entry.versionId !== undefined && entry.versionId !== "null") {
      errors.push(entryError(entry, "NoSuchVersion", "The specified version does not exist."));
    } else if (entry.conditional) {
      errors.push(
        entryError(entry, "NotImplemented", "Conditional deletes are not implemented by the upgate store"),
      );
    } else {
      try {
        await ctx.state.backend.deleteObject(bucket.name, entry.key);
        deleted.push({ Key: entry.key, VersionId: entry.versionId });
      } catch (err) {
        ctx.state.options.log?.({ msg: "delete failed", err: String(err) });
        errors.push(
          entryError(entry, "InternalError", "We encountered an internal error. Please try again."),
        );
      }
    }
  }
  sendXml(ctx, 200, "DeleteResult", { Deleted: quiet ? undefined : deleted, Error: errors });
}
