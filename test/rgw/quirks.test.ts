import { describe, expect, it } from "vitest";
import { sameRules } from "../../src/cli/cors/diff.js";
import type { CorsRule } from "../../src/core/s3/cors.js";
import { createStorageClient } from "../../src/server/s3/s3-client.js";
import type { StorageConfig } from "../../src/server/s3/types.js";

/**
 * RGW 16 answers seen in test/rgw's runs, replayed without RGW so they are checked on every run:
 * the storage client and `upgate cors apply` must take them.
 */
const CONFIG: StorageConfig = {
  endpoint: "http://rgw.test",
  region: "us-east-1",
  bucket: "uploads",
  credentials: { accessKeyId: "AKID", secretAccessKey: "secret" },
  forcePathStyle: true,
};

const COMPLETE_WITHOUT_ETAG =
  '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>127.0.0.1/uploads/k</Location><Bucket>uploads</Bucket><Key>k</Key><ETag></ETag></CompleteMultipartUploadResult>';

function rgwLike(head: () => Response) {
  const methods: string[] = [];
  const fetch = (async (_input: string | URL | Request, init: RequestInit = {}) => {
    methods.push(init.method ?? "GET");
    if (init.method === "POST") return new Response(COMPLETE_WITHOUT_ETAG, { status: 200 });
    return head();
  }) as typeof globalThis.fetch;
  return { client: createStorageClient(CONFIG, { fetch }), methods };
}

describe("Ceph RGW 16 quirks, replayed", () => {
  it("a Complete answered with an empty <ETag> takes the ETag from a HEAD of the object", async () => {
    const { client, methods } = rgwLike(
      () => new Response(null, { status: 200, headers: { etag: '"abc-2"', "content-length": "10" } }),
    );
    await expect(client.completeMultipart("k", "u1", [{ partNumber: 1, etag: '"p1"' }])).resolves.toEqual({
      etag: '"abc-2"',
    });
    expect(methods).toEqual(["POST", "HEAD"]);
  });

  it("an empty <ETag> with no object behind it is still a malformed answer", async () => {
    const { client } = rgwLike(() => new Response(null, { status: 404 }));
    await expect(client.completeMultipart("k", "u1", [{ partNumber: 1, etag: '"p1"' }])).rejects.toThrow(
      /no ETag/,
    );
  });

  it("CORS rules read back with methods and headers reordered are the same rules; other rules are not", () => {
    const written: CorsRule[] = [
      {
        id: "upgate",
        allowedOrigins: ["https://a.example"],
        allowedMethods: ["PUT", "POST", "GET", "HEAD"],
        allowedHeaders: ["content-type", "x-amz-checksum-sha256", "if-none-match"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 600,
      },
    ];
    const readBack: CorsRule[] = [
      {
        allowedOrigins: ["https://a.example"],
        allowedMethods: ["GET", "PUT", "HEAD", "POST"],
        id: "upgate",
        allowedHeaders: ["content-type", "if-none-match", "x-amz-checksum-sha256"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 600,
      },
    ];
    expect(sameRules(readBack, written)).toBe(true);
    expect(sameRules([{ ...readBack[0]!, allowedMethods: ["GET", "HEAD", "POST"] }], written)).toBe(false);
    expect(sameRules([{ ...readBack[0]!, allowedOrigins: ["https://b.example"] }], written)).toBe(false);
    // Rule order still matters: S3 answers with the first rule that matches.
    const other: CorsRule = { id: "other", allowedOrigins: ["*"], allowedMethods: ["GET"] };
    expect(sameRules([other, ...written], [...written, other])).toBe(false);
  });
});
