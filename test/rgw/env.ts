import { randomBytes } from "node:crypto";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, test } from "vitest";
import type { KeyedStorageConfig } from "../support/keyed-storage.js";

const HOW_TO_START = 'eval "$(bash scripts/ceph-rgw-up.sh)"';

export interface RgwEnv {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** The gateway started by scripts/ceph-rgw-up.sh, from its export lines; undefined when not set. */
export function rgwFromEnv(env: NodeJS.ProcessEnv = process.env): RgwEnv | undefined {
  const endpoint = env.UPGATE_TEST_RGW_URL;
  const accessKeyId = env.UPGATE_TEST_RGW_ACCESS_KEY;
  const secretAccessKey = env.UPGATE_TEST_RGW_SECRET_KEY;
  if (!endpoint || !accessKeyId || !secretAccessKey) return undefined;
  return {
    endpoint: endpoint.replace(/\/+$/, ""),
    region: env.UPGATE_TEST_RGW_REGION || "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
  };
}

/**
 * A suite that needs Ceph RGW at UPGATE_TEST_RGW_URL (the pattern of describePostgres): it fails in
 * CI (CI=true), where these suites never skip, and is skipped on a developer's machine, saying why.
 */
export function describeRgw(name: string, body: (rgw: RgwEnv) => void): void {
  const rgw = rgwFromEnv();
  if (rgw) {
    describe(name, () => body(rgw));
  } else if (process.env.CI === "true") {
    describe(name, () => {
      test("has Ceph RGW to run against", () => {
        throw new Error(
          `UPGATE_TEST_RGW_URL, UPGATE_TEST_RGW_ACCESS_KEY or UPGATE_TEST_RGW_SECRET_KEY is not set, and CI=true: the RGW suites never skip in CI. Run ${HOW_TO_START} before the tests.`,
        );
      });
    });
  } else {
    describe.skip(`${name} (skipped: UPGATE_TEST_RGW_URL is not set; start Ceph RGW with ${HOW_TO_START})`, () => {
      body({ endpoint: "", region: "", credentials: { accessKeyId: "", secretAccessKey: "" } });
    });
  }
}

/** Creates a fresh bucket on RGW (each suite its own, so runs never see each other's objects). */
export async function createRgwBucket(rgw: RgwEnv, purpose: string): Promise<KeyedStorageConfig> {
  const bucket = `upgate-${purpose}-${randomBytes(5).toString("hex")}`;
  const s3 = new S3Client({
    endpoint: rgw.endpoint,
    region: rgw.region,
    // A copy: the SDK marks the object it is given ($source), which the gateway's config refuses.
    credentials: { ...rgw.credentials },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    s3.destroy();
  }
  return {
    endpoint: rgw.endpoint,
    region: rgw.region,
    bucket,
    credentials: { ...rgw.credentials },
    forcePathStyle: true,
  };
}
