/** Bucket CORS through the transport (for the CLI's `upgate cors` and `doctor`). */
import { CORS_ARRAYS, CorsConfigError, type CorsRule, readCorsConfiguration } from "../../core/s3/cors.js";
import * as s3 from "../../core/s3/requests.js";
import type { XmlElement } from "../../core/s3/xml-read.js";
import { malformedResponse } from "./errors.js";
import type { S3Transport } from "./transport.js";
import { StorageError } from "./types.js";

export async function putBucketCors(t: S3Transport, rules: readonly CorsRule[]): Promise<void> {
  await t.send(s3.putBucketCors(t.config.bucket, rules));
}

/** The bucket's CORS rules, or undefined when it has none (NoSuchCORSConfiguration). */
export async function getBucketCors(t: S3Transport): Promise<CorsRule[] | undefined> {
  const req = s3.getBucketCors(t.config.bucket);
  let doc: XmlElement;
  try {
    doc = await t.sendXml(req, "CORSConfiguration", CORS_ARRAYS);
  } catch (err) {
    if (err instanceof StorageError && err.code === "NoSuchCORSConfiguration") return undefined;
    throw err;
  }
  try {
    return readCorsConfiguration(doc, { strict: false });
  } catch (err) {
    if (err instanceof CorsConfigError) throw malformedResponse(req, 200, err.message);
    throw err;
  }
}
