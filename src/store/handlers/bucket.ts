import { escapeXml, S3_XMLNS } from "../../core/s3/xml.js";
import { singleChildText } from "../../core/s3/xml-read.js";
import type { RequestContext } from "../context.js";
import { S3Error } from "../errors.js";
import { sendEmpty, sendXml } from "../respond.js";
import { readXmlBody } from "../xml-body.js";
import { isValidBucketName } from "./bucket-name.js";
import { requireBucket } from "./common.js";
import { ownerOf } from "./owner.js";

const LEGACY_REGION = "us-east-1";
const MAX_CONFIGURATION_BYTES = 64 * 1024;

function invalidArgument(name: string, value: string, message: string): S3Error {
  return new S3Error("InvalidArgument", message, [
    ["ArgumentName", name],
    ["ArgumentValue", value],
  ]);
}

/** GET / : every bucket, optionally filtered by prefix and paged with max-buckets / continuation-token. */
export async function listBuckets(ctx: RequestContext): Promise<void> {
  const prefix = ctx.query.get("prefix") ?? "";
  const maxText = ctx.query.get("max-buckets");
  const max = maxText === undefined ? 10_000 : Number(maxText);
  if (maxText !== undefined && !(/^\d{1,5}$/.test(maxText) && max >= 1 && max <= 10_000)) {
    throw invalidArgument(
      "max-buckets",
      maxText,
      "Argument max-buckets must be an integer between 1 and 10000",
    );
  }
  const token = ctx.query.get("continuation-token");
  const after = token === undefined ? undefined : Buffer.from(token, "base64url").toString("utf8");
  const names = (await ctx.state.backend.listBuckets()).filter(
    (b) => b.name.startsWith(prefix) && (after === undefined || b.name > after),
  );
  const page = names.slice(0, max);
  const truncated = names.length > page.length;
  sendXml(ctx, 200, "ListAllMyBucketsResult", {
    Owner: ownerOf(ctx),
    Buckets: {
      Bucket: page.map((b) => ({ Name: b.name, CreationDate: b.createdAt, BucketRegion: ctx.state.region })),
    },
    ContinuationToken: truncated ? Buffer.from(page.at(-1)!.name).toString("base64url") : undefined,
    Prefix: ctx.query.has("prefix") ? prefix : undefined,
  });
}

/** The LocationConstraint of an optional CreateBucketConfiguration body, checked against our region. */
async function checkLocationConstraint(ctx: RequestContext): Promise<void> {
  let constraint = "";
  if (!ctx.bodyConsumed) {
    const body = await ctx.readSmallBody(MAX_CONFIGURATION_BYTES);
    if (body.length > 0) {
      constraint = readXmlBody(
        body,
        "CreateBucketConfiguration",
        [],
        (config) => singleChildText(config, "LocationConstraint")?.trim() ?? "",
      );
    }
  }
  const region = ctx.state.region;
  if (constraint === (region === LEGACY_REGION ? "" : region)) return;
  if (constraint === LEGACY_REGION)
    throw new S3Error("InvalidLocationConstraint", undefined, [["LocationConstraint", constraint]]);
  const named = constraint === "" ? "unspecified" : constraint;
  throw new S3Error(
    "IllegalLocationConstraintException",
    `The ${named} location constraint is incompatible for the region specific endpoint this request was sent to.`,
  );
}

/** PUT /bucket */
export async function createBucket(ctx: RequestContext): Promise<void> {
  const name = ctx.bucket!;
  if (!isValidBucketName(name)) throw new S3Error("InvalidBucketName", undefined, [["BucketName", name]]);
  await checkLocationConstraint(ctx);
  const result = await ctx.state.backend.createBucket(name);
  // us-east-1 answers 200 to an owner re-creating a bucket (legacy behaviour); other regions 409.
  if (result === "exists" && ctx.state.region !== LEGACY_REGION) {
    throw new S3Error("BucketAlreadyOwnedByYou", undefined, [["BucketName", name]]);
  }
  sendEmpty(ctx, 200, { location: `/${name}` });
}

/** HEAD /bucket: 200 with the region, or a bodiless 404. */
export async function headBucket(ctx: RequestContext): Promise<void> {
  await requireBucket(ctx);
  sendEmpty(ctx, 200, { "x-amz-bucket-region": ctx.state.region, "x-amz-access-point-alias": "false" });
}

/** DELETE /bucket: 204, or BucketNotEmpty / NoSuchBucket. */
export async function deleteBucket(ctx: RequestContext): Promise<void> {
  const name = ctx.bucket!;
  const result = await ctx.state.backend.deleteBucket(name);
  if (result === "missing") throw new S3Error("NoSuchBucket", undefined, [["BucketName", name]]);
  if (result === "not-empty") throw new S3Error("BucketNotEmpty", undefined, [["BucketName", name]]);
  sendEmpty(ctx, 204);
}

/** GET /bucket?location: the region, empty for us-east-1 as S3 answers. */
export async function getBucketLocation(ctx: RequestContext): Promise<void> {
  await requireBucket(ctx);
  const region = ctx.state.region === LEGACY_REGION ? "" : ctx.state.region;
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${escapeXml(region)}</LocationConstraint>`;
  ctx.res.statusCode = 200;
  ctx.res.setHeader("content-type", "application/xml");
  ctx.res.setHeader("content-length", Buffer.byteLength(text));
  ctx.res.end(text);
}
