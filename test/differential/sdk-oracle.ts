import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { TestCredentials } from "../support/sigv4-arbitraries.js";

export interface SdkPutCase {
  endpoint: string;
  forcePathStyle: boolean;
  region: string;
  credentials: TestCredentials;
  bucket: string;
  key: string;
  contentType: string;
  contentLength: number;
  /** Metadata names as the caller spells them; S3 (and both signers) lower-case them. */
  metadata: Array<[string, string]>;
  expiresIn: number;
  date: Date;
}

/** The URL @aws-sdk/s3-request-presigner gives for a PutObject upgate would sign. */
export async function sdkPresignPut(c: SdkPutCase): Promise<string> {
  const client = new S3Client({
    region: c.region,
    endpoint: c.endpoint,
    forcePathStyle: c.forcePathStyle,
    credentials: c.credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  try {
    const command = new PutObjectCommand({
      Bucket: c.bucket,
      Key: c.key,
      ContentType: c.contentType,
      ContentLength: c.contentLength,
      IfNoneMatch: "*",
      Metadata: Object.fromEntries(c.metadata),
    });
    return await getSignedUrl(client, command, {
      signableHeaders: new Set(["content-type"]),
      signingDate: c.date,
      expiresIn: c.expiresIn,
    });
  } finally {
    client.destroy();
  }
}
