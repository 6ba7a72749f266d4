import { createHash } from "node:crypto";
import { type Checksum, createChecksum, isChecksumAlgorithm } from "../../core/sigv4/checksums.js";
import { decodeComponent } from "../../core/sigv4/encode.js";
import type { ObjectAttributes, ObjectMeta } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { MAX_SINGLE_PUT } from "../options.js";
import { sendXml } from "../respond.js";
import { checkAclHeaders } from "./acl.js";
import { attributesFromRequest, requireBucket, writeConditions } from "./common.js";
import { COPY_SOURCE_CONDITIONS, evaluateConditions } from "./read-conditions.js";
import { abortQuietly, refusalError } from "./write-refusal.js";

interface CopySource {
  bucket: string;
  key: string;
}

function badCopySource(raw: string): S3Error {
  return new S3Error(
    "InvalidArgument",
    "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
    [
      ["ArgumentName", "x-amz-copy-source"],
      ["ArgumentValue", raw],
    ],
  );
}

/** x-amz-copy-source: URL-encoded "bucket/key", an optional leading "/", an optional ?versionId. */
export function parseCopySource(raw: string): CopySource {
  let text = raw.trim();
  const q = text.indexOf("?");
  if (q !== -1) {
    const params = new URLSearchParams(text.slice(q + 1));
    text = text.slice(0, q);
    const versionId = params.get("versionId");
    if (versionId !== null && versionId !== "null") {
      throw new S3Error(
        "NotImplemented",
        "Copying a specific version is not implemented by the upgate store",
        [["Header", "x-amz-copy-source"]],
      );
    }
  }
  if (text.startsWith("/")) text = text.slice(1);
  const decoded = decodeComponent(text);
  if (decoded === undefined) throw badCopySource(raw);
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw badCopySource(raw);
  const key = decoded.slice(slash + 1);
  if (Buffer.byteLength(key) > 1024) throw new S3Error("KeyTooLongError");
  return { bucket: decoded.slice(0, slash), key };
}

function metadataDirective(ctx: RequestContext): "COPY" | "REPLACE" {
  const value = ctx.headers.get("x-amz-metadata-directive") ?? "COPY";
  if (value !== "COPY" && value !== "REPLACE") {
    throw new S3Error("InvalidArgument", "Unknown metadata directive.", [
      ["ArgumentName", "x-amz-metadata-directive"],
      ["ArgumentValue", value],
    ]);
  }
  return value;
}

/** x-amz-checksum-algorithm asks for a (new) checksum of the copy. */
function requestedChecksum(ctx: RequestContext): { alg: string; hasher: Checksum } | undefined {
  const alg = ctx.headers.get("x-amz-checksum-algorithm")?.toLowerCase();
  if (alg === undefined) return undefined;
  if (!isChecksumAlgorithm(alg)) {
    throw new S3Error("InvalidRequest", `Checksum algorithm ${alg.toUpperCase()} is not supported.`);
  }
  return { alg, hasher: createChecksum(alg) };
}

/** The new object's attributes: the source's (COPY) or the request's (REPLACE); checksums come later. */
function copiedAttributes(ctx: RequestContext, source: ObjectMeta, directive: "COPY" | "REPLACE") {
  if (directive === "REPLACE") return attributesFromRequest(ctx);
  return {
    contentType: source.contentType,
    metadata: { ...source.metadata },
    headers: { ...source.headers },
  };
}

/** Whole-object checksums survive a copy; composite (multipart) ones describe parts that no longer exist. */
function carriedChecksums(source: ObjectMeta): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [alg, value] of Object.entries(source.checksums)) if (!/-\d+$/.test(value)) out[alg] = value;
  return out;
}

const checksumElement = (alg: string): string => `Checksum${alg.toUpperCase()}`;

/** PUT /bucket/key with x-amz-copy-source: streams the source into a staged object. */
export async function copyObject(ctx: RequestContext): Promise<void> {
  const dest = await requireBucket(ctx);
  const key = ctx.key!;
  const source = parseCopySource(ctx.headers.get("x-amz-copy-source") ?? "");
  const directive = metadataDirective(ctx);
  const conditions = writeConditions(ctx);
  checkAclHeaders(ctx.headers);
  const extra = requestedChecksum(ctx);
  const backend = ctx.state.backend;
  if (!(await backend.getBucket(source.bucket))) {
    throw new S3Error("NoSuchBucket", undefined, [["BucketName", source.bucket]]);
  }
  if (source.bucket === dest.name && source.key === key && directive === "COPY" && !extra) {
    throw new S3Error(
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const read = await backend.readObject(source.bucket, source.key);
  if (!read) throw new S3Error("NoSuchKey", undefined, [["Key", source.key]]);
  try {
    const outcome = evaluateConditions(read.meta, ctx.headers, COPY_SOURCE_CONDITIONS);
    // For a copy, a source that "was not modified" is a failed precondition too (412).
    if (outcome.kind !== "ok")
      throw new S3Error("PreconditionFailed", undefined, [["Condition", outcome.condition]]);
    if (read.meta.size > MAX_SINGLE_PUT) {
      throw new S3Error(
        "InvalidRequest",
        `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_SINGLE_PUT}`,
      );
    }
    const staged = await backend.stageObject(dest.name, key);
    if (!staged) throw new S3Error("NoSuchBucket", undefined, [["BucketName", dest.name]]);
    let committed = false;
    try {
      const md5 = createHash("md5");
      for await (const chunk of read.body as AsyncIterable<Buffer>) {
        md5.update(chunk);
        extra?.hasher.update(chunk);
        await staged.write(chunk);
      }
      const checksums = carriedChecksums(read.meta);
      if (extra) checksums[extra.alg] = await extra.hasher.digestBase64();
      const attributes: ObjectAttributes = {
        ...copiedAttributes(ctx, read.meta, directive),
        etag: `"${md5.digest("hex")}"`,
        checksums,
      };
      const result = await staged.commit(attributes, conditions);
      if (typeof result === "string") throw await refusalError(ctx, dest.name, key, result, conditions);
      committed = true;
      const body: Record<string, string | Date> = { ETag: result.etag, LastModified: result.lastModified };
      for (const [alg, value] of Object.entries(checksums)) body[checksumElement(alg)] = value;
      if (Object.keys(checksums).length > 0) body.ChecksumType = "FULL_OBJECT";
      sendXml(ctx, 200, "CopyObjectResult", body);
    } finally {
      if (!committed) await abortQuietly(ctx, staged);
    }
  } finally {
    read.body.destroy();
  }
}
