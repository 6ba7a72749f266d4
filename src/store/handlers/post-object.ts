import { renderXmlDocument } from "../../core/s3/xml.js";
import { type VerifiedPost, verifyPostPolicy } from "../../core/sigv4/verify-post.js";
import type { ObjectAttributes, ObjectMeta, StagedObject } from "../backend/types.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { MAX_SINGLE_PUT } from "../options.js";
import { parsePostForm } from "../post-form.js";
import { sendEmpty } from "../respond.js";
import { checkAclField } from "./acl.js";
import { checkMetadataSize, requireBucket, STORED_HEADERS } from "./common.js";
import { objectLocation } from "./location.js";
import { declaredChecksums, type PostedFile, postFileSink } from "./post-file.js";

const META = "x-amz-meta-";

function checkKey(key: string): void {
  if (key === "") throw new S3Error("InvalidArgument", "User key must have a length greater than 0.");
  if (Buffer.byteLength(key) > 1024) throw new S3Error("KeyTooLongError");
  if (!key.isWellFormed()) throw new S3Error("InvalidURI");
}

/** The stored object's attributes from the verified form fields (Content-Type, x-amz-meta-*, representation headers). */
function metadataFromFields(fields: Map<string, string>): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of fields) if (name.startsWith(META)) metadata[name.slice(META.length)] = value;
  return metadata;
}

function attributesFromFields(fields: Map<string, string>, file: PostedFile): ObjectAttributes {
  const metadata = metadataFromFields(fields);
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = fields.get(name);
    if (value !== undefined) headers[name] = value;
  }
  return {
    contentType: fields.get("content-type") ?? "binary/octet-stream",
    metadata,
    headers,
    etag: file.etag,
    checksums: file.checksums,
  };
}

/** success_action_redirect (or the legacy redirect) when it is an absolute http(s) URL. */
function redirectTarget(fields: Map<string, string>): URL | undefined {
  const text = fields.get("success_action_redirect") ?? fields.get("redirect");
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function respond(ctx: RequestContext, post: VerifiedPost, bucket: string, meta: ObjectMeta): void {
  const location = objectLocation(ctx, bucket, meta.key);
  const headers = { etag: meta.etag, location };
  const redirect = redirectTarget(post.fields);
  if (redirect) {
    redirect.searchParams.set("bucket", bucket);
    redirect.searchParams.set("key", meta.key);
    redirect.searchParams.set("etag", meta.etag);
    sendEmpty(ctx, 303, { ...headers, location: redirect.toString() });
    return;
  }
  const status = post.fields.get("success_action_status");
  if (status !== "201") {
    sendEmpty(ctx, status === "200" ? 200 : 204, headers);
    return;
  }
  const text = renderXmlDocument(
    "PostResponse",
    { Location: location, Bucket: bucket, Key: meta.key, ETag: meta.etag },
    { xmlns: false },
  );
  ctx.res.statusCode = 201;
  for (const [k, v] of Object.entries(headers)) ctx.res.setHeader(k, v);
  ctx.res.setHeader("content-type", "application/xml");
  ctx.res.setHeader("content-length", Buffer.byteLength(text));
  ctx.res.end(text);
}

/**
 * POST /bucket with multipart/form-data: a browser form upload. The policy is verified when the file
 * part begins (every field is known by then); the file streams into a staged object, within
 * content-length-range, and is committed only once the whole form has been read and checked.
 */
export async function postObject(ctx: RequestContext): Promise<void> {
  const bucket = await requireBucket(ctx);
  const { backend, credentials } = ctx.state;
  let staged: StagedObject | undefined;
  let post: VerifiedPost | undefined;
  let file: PostedFile;
  try {
    file = await parsePostForm(ctx.req, ctx.headers.get("content-type") ?? "", async (fields, fileName) => {
      const verified = await verifyPostPolicy(
        { fields, bucket: bucket.name, fileName },
        { region: ctx.state.region, lookupSecret: (id) => credentials.lookup(id), now: ctx.state.now() },
      );
      if (!verified.ok) throw S3Error.fromFailure(verified.error);
      post = verified.post;
      checkKey(post.key);
      checkAclField(post.fields);
      checkMetadataSize(metadataFromFields(post.fields));
      const checksums = declaredChecksums(post.fields);
      staged = await backend.stageObject(bucket.name, post.key);
      if (!staged) throw new S3Error("NoSuchBucket", undefined, [["BucketName", bucket.name]]);
      const limit = ctx.state.options.maxObjectSize ?? MAX_SINGLE_PUT;
      const range = post.contentLengthRange ?? { min: 0, max: limit };
      return postFileSink(staged, { min: range.min, max: Math.min(range.max, limit) }, checksums);
    });
  } catch (err) {
    await staged?.abort();
    ctx.bodyConsumed = ctx.req.readableEnded;
    throw err;
  }
  ctx.bodyConsumed = true;
  const result = await staged!.commit(attributesFromFields(post!.fields, file));
  if (typeof result === "string") {
    await staged!.abort();
    throw new S3Error("NoSuchBucket", undefined, [["BucketName", bucket.name]]);
  }
  respond(ctx, post!, bucket.name, result);
}
