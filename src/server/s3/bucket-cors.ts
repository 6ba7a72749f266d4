/** Bucket CORS through the transport (for the CLI's `upgate cors` and `doctor`). */
import * as s3 from "../../core/s3/requests.js";
import { parseCors, REPEATED } from "./responses.js";
import type { S3Transport } from "./transport.js";
import { StorageError } from "./types.js";

export async function putBucketCors(t: S3Transport, rules: readonly s3.S3CorsRule[]): Promise<void> {
  await t.send(s3.putBucketCors(t.config.bucket, rules));
}

/** The bucket's CORS rules, or undefined when it has none (NoSuchCORSConfiguration). */
export async function getBucketCors(t: S3Transport): Promise<s3.S3CorsRule[] | undefined> {
  try {
    return parseCors(await t.sendXml(s3.getBucketCors(t.config.bucket), "CORSConfiguration", REPEATED));
  } catch (err) {
    if (err instanceof StorageError && err.code === "NoSuchCORSConfiguration") return undefined;
    throw err;
  }
}
