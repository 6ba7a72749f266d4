import { CORS_ARRAYS, CorsConfigError, type CorsRule, readCorsConfiguration } from "../core/s3/cors.js";
import { S3Error } from "./errors.js";
import { readXmlBody } from "./xml-body.js";

export const MAX_CORS_DOCUMENT_BYTES = 64 * 1024;

/**
 * A PutBucketCors document as rules: MalformedXML for anything outside S3's schema, InvalidRequest
 * for an unsupported method, more than one wildcard, or more than 100 rules (S3's wording).
 */
export function parseCorsConfiguration(body: Uint8Array): CorsRule[] {
  if (body.length === 0) throw new S3Error("MalformedXML");
  return readXmlBody(body, "CORSConfiguration", CORS_ARRAYS, (root) => {
    try {
      return readCorsConfiguration(root, { strict: true });
    } catch (err) {
      if (!(err instanceof CorsConfigError)) throw err;
      throw err.code === "MalformedXML" ? new S3Error("MalformedXML") : new S3Error(err.code, err.message);
    }
  });
}
