import { createHash } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { presignUrl } from "../../../src/core/sigv4/presign.js";
import { readS3Error, sdkFailure } from "../../support/s3-error.js";
import { signedFetch } from "../../support/signed-fetch.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

const APP = "https://app.example.com";
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const NOT_ENABLED = "CORSResponse: CORS is not enabled for this bucket.";

const RULES = [
  {
    ID: "browser-uploads",
    AllowedOrigins: [APP],
    AllowedMethods: ["GET", "PUT", "POST", "HEAD"],
    AllowedHeaders: ["content-type", "if-none-match", "x-amz-*"],
    ExposeHeaders: ["ETag", "x-amz-request-id"],
    MaxAgeSeconds: 600,
  },
  {
    AllowedOrigins: ["http://*.wild.example"],
    AllowedMethods: ["GET"],
    AllowedHeaders: [],
    ExposeHeaders: [],
  },
  { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"] },
];

const corsXml = (rules: string) => `<CORSConfiguration>${rules}</CORSConfiguration>`;
const ruleXml = (origin: string, method: string, extra = "") =>
  `<CORSRule><AllowedOrigin>${origin}</AllowedOrigin><AllowedMethod>${method}</AllowedMethod>${extra}</CORSRule>`;
const md5Base64 = (text: string) => createHash("md5").update(text).digest("base64");

describe("bucket CORS", () => {
  let f: StoreFixture;
  const bucket = "cors-bucket";
  const bare = "no-cors-bucket";

  beforeAll(async () => {
    f = await startStore();
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await f.s3.send(new CreateBucketCommand({ Bucket: bare }));
    await f.s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: RULES } }));
  });
  afterAll(async () => {
    await f.close();
  });

  const preflight = (path: string, headers: Record<string, string>) =>
    fetch(`${f.url}${path}`, { method: "OPTIONS", headers });

  const currentRules = async () =>
    (await f.s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules?.map((r) => ({ ...r }));

  it("returns the configuration it was given", async () => {
    expect(await currentRules()).toEqual([
      RULES[0],
      { AllowedOrigins: ["http://*.wild.example"], AllowedMethods: ["GET"] },
      { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"] },
    ]);
  });

  describe("preflight", () => {
    it("answers a matching preflight with the rule's headers, echoing the requested ones", async () => {
      const res = await preflight(`/${bucket}/uploads/a.png`, {
        origin: APP,
        "access-control-request-method": "PUT",
        "access-control-request-headers": "Content-Type, x-amz-checksum-sha256,if-none-match",
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("");
      expect(res.headers.get("access-control-allow-origin")).toBe(APP);
      expect(res.headers.get("access-control-allow-methods")).toBe("GET, PUT, POST, HEAD");
      expect(res.headers.get("access-control-allow-headers")).toBe(
        "content-type, x-amz-checksum-sha256, if-none-match",
      );
      expect(res.headers.get("access-control-expose-headers")).toBe("ETag, x-amz-request-id");
      expect(res.headers.get("access-control-max-age")).toBe("600");
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("vary")).toBe(
        "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
      );
    });

    it("matches a wildcard origin, and answers '*' for a '*' rule", async () => {
      const wild = await preflight(`/${bucket}/k`, {
        origin: "http://tenant-7.wild.example",
        "access-control-request-method": "GET",
      });
      expect(wild.status).toBe(200);
      expect(wild.headers.get("access-control-allow-origin")).toBe("http://tenant-7.wild.example");
      expect(wild.headers.get("access-control-allow-headers")).toBeNull();
      const any = await preflight(`/${bucket}`, {
        origin: "https://elsewhere.test",
        "access-control-request-method": "HEAD",
        "access-control-request-headers": "x-anything",
      });
      expect(any.status).toBe(200);
      expect(any.headers.get("access-control-allow-origin")).toBe("*");
      expect(any.headers.get("access-control-allow-credentials")).toBeNull();
    });

    it("refuses an unlisted origin, method or header with 403 AccessForbidden", async () => {
      const refusals: Array<Record<string, string>> = [
        { origin: "https://evil.example.com", "access-control-request-method": "PUT" },
        { origin: "https://app.example.com:8443", "access-control-request-method": "PUT" },
        { origin: "HTTPS://APP.EXAMPLE.COM", "access-control-request-method": "PUT" },
        { origin: APP, "access-control-request-method": "DELETE" },
        { origin: APP, "access-control-request-method": "put" },
        {
          origin: APP,
          "access-control-request-method": "PUT",
          "access-control-request-headers": "content-type, x-custom",
        },
        { origin: "http://wild.example", "access-control-request-method": "GET" },
      ];
      for (const headers of refusals) {
        const res = await preflight(`/${bucket}/uploads/a.png`, headers);
        expect(res.headers.get("access-control-allow-origin")).toBeNull();
        const err = await readS3Error(res);
        expect({ headers, status: err.status, code: err.code, message: err.message }).toEqual({
          headers,
          status: 403,
          code: "AccessForbidden",
          message: NOT_ALLOWED,
        });
        expect(err.fields.Method).toBe(headers["access-control-request-method"]);
        expect(err.fields.ResourceType).toBe("OBJECT");
      }
    });

    it("needs Origin and Access-Control-Request-Method (400), a known bucket (404) and a configuration (403)", async () => {
      const noOrigin = await readS3Error(
        await preflight(`/${bucket}/k`, { "access-control-request-method": "GET" }),
      );
      expect(noOrigin).toMatchObject({
        status: 400,
        code: "BadRequest",
        message: "Insufficient information. Origin request header needed.",
      });
      const noMethod = await readS3Error(await preflight(`/${bucket}/k`, { origin: APP }));
      expect(noMethod).toMatchObject({ status: 400, code: "BadRequest" });
      const unknown = await readS3Error(
        await preflight("/no-such-bucket/k", { origin: APP, "access-control-request-method": "GET" }),
      );
      expect(unknown).toMatchObject({ status: 404, code: "NoSuchBucket" });
      const disabled = await readS3Error(
        await preflight(`/${bare}/k`, { origin: APP, "access-control-request-method": "GET" }),
      );
      expect(disabled).toMatchObject({ status: 403, code: "AccessForbidden", message: NOT_ENABLED });
    });
  });

  describe("actual requests", () => {
    const presign = (method: string, key: string, headers: Record<string, string | number> = {}) =>
      presignUrl({
        method,
        endpoint: f.url,
        bucket,
        key,
        forcePathStyle: true,
        region: f.region,
        credentials: f.credentials,
        expiresIn: 300,
        headers,
      });

    it("adds Allow-Origin and Expose-Headers: ETag to PUT and GET responses for a listed origin", async () => {
      const body = "hello from the browser";
      const put = await presign("PUT", "browser/hello.txt", {
        "content-length": body.length,
        "content-type": "text/plain",
      });
      const putRes = await fetch(put.url, { method: "PUT", body, headers: { ...put.headers, origin: APP } });
      expect(putRes.status).toBe(200);
      expect(putRes.headers.get("access-control-allow-origin")).toBe(APP);
      expect(putRes.headers.get("access-control-expose-headers")).toBe("ETag, x-amz-request-id");
      expect(putRes.headers.get("access-control-allow-headers")).toBeNull();
      expect(putRes.headers.get("etag")).toBe(`"${createHash("md5").update(body).digest("hex")}"`);

      const get = await presign("GET", "browser/hello.txt");
      const getRes = await fetch(get.url, { headers: { origin: APP } });
      expect(getRes.status).toBe(200);
      expect(await getRes.text()).toBe(body);
      expect(getRes.headers.get("access-control-allow-origin")).toBe(APP);
      expect(getRes.headers.get("access-control-expose-headers")).toBe("ETag, x-amz-request-id");
    });

    it("adds no CORS headers for an unlisted origin or method, and still carries them on errors", async () => {
      const get = await presign("GET", "browser/hello.txt");
      const evil = await fetch(get.url, { headers: { origin: "https://evil.example.com" } });
      expect(evil.status).toBe(200);
      await evil.text();
      expect(evil.headers.get("access-control-allow-origin")).toBeNull();
      const del = await presign("DELETE", "browser/absent.txt");
      const delRes = await fetch(del.url, { method: "DELETE", headers: { origin: APP } });
      expect(delRes.status).toBe(204);
      expect(delRes.headers.get("access-control-allow-origin")).toBeNull();
      const tampered = new URL(get.url);
      tampered.searchParams.set("X-Amz-Signature", "0".repeat(64));
      const denied = await fetch(tampered, { headers: { origin: APP } });
      expect(denied.status).toBe(403);
      expect(denied.headers.get("access-control-allow-origin")).toBe(APP);
      await denied.text();
    });
  });

  describe("PutBucketCors validation", () => {
    const putRaw = (xml: string, headers: Record<string, string> = { "content-md5": md5Base64(xml) }) =>
      signedFetch(f, "PUT", `/${bucket}?cors`, { body: xml, headers });

    it("refuses unsupported methods, extra wildcards, too many rules and malformed documents, keeping the old rules", async () => {
      const before = await currentRules();
      const cases: Array<[string, number, string, string?]> = [
        [
          corsXml(ruleXml(APP, "PATCH")),
          400,
          "InvalidRequest",
          "Found unsupported HTTP method in CORS config. Unsupported method is PATCH",
        ],
        [corsXml(ruleXml("https://*.*.example.com", "GET")), 400, "InvalidRequest"],
        [corsXml(ruleXml(APP, "GET", "<AllowedHeader>x-*-*</AllowedHeader>")), 400, "InvalidRequest"],
        [corsXml(ruleXml(APP, "GET").repeat(101)), 400, "InvalidRequest"],
        [corsXml(""), 400, "MalformedXML"],
        [corsXml("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"), 400, "MalformedXML"],
        [corsXml(`<CORSRule><AllowedOrigin>${APP}</AllowedOrigin></CORSRule>`), 400, "MalformedXML"],
        [corsXml(ruleXml(APP, "GET", "<MaxAgeSeconds>soon</MaxAgeSeconds>")), 400, "MalformedXML"],
        [corsXml(ruleXml(APP, "GET", "<Unknown>1</Unknown>")), 400, "MalformedXML"],
        ["<CORSConfiguration><CORSRule>", 400, "MalformedXML"],
        [`<!DOCTYPE c [<!ENTITY o "${APP}">]>${corsXml(ruleXml("&o;", "GET"))}`, 400, "MalformedXML"],
      ];
      for (const [xml, status, code, message] of cases) {
        const err = await readS3Error(await putRaw(xml));
        expect({ xml, status: err.status, code: err.code }).toEqual({ xml, status, code });
        if (message) expect(err.message).toBe(message);
      }
      expect(await currentRules()).toEqual(before);
    });

    it("requires Content-MD5 or an x-amz-checksum header, and verifies it", async () => {
      const before = await currentRules();
      const xml = corsXml(ruleXml("https://other.example", "GET"));
      const missing = await readS3Error(await putRaw(xml, {}));
      expect(missing).toMatchObject({ status: 400, code: "InvalidRequest" });
      const wrong = await readS3Error(await putRaw(xml, { "content-md5": md5Base64("something else") }));
      expect(wrong).toMatchObject({ status: 400, code: "BadDigest" });
      expect(await currentRules()).toEqual(before);
    });

    it("is refused on an unknown bucket", async () => {
      const failure = await sdkFailure(
        f.s3.send(
          new PutBucketCorsCommand({ Bucket: "no-such-bucket", CORSConfiguration: { CORSRules: RULES } }),
        ),
      );
      expect(failure).toMatchObject({ code: "NoSuchBucket", status: 404 });
    });
  });

  it("deletes the configuration: 204, then NoSuchCORSConfiguration and preflights refused", async () => {
    const bucket2 = "cors-delete";
    await f.s3.send(new CreateBucketCommand({ Bucket: bucket2 }));
    const none = await sdkFailure(f.s3.send(new GetBucketCorsCommand({ Bucket: bucket2 })));
    expect(none).toMatchObject({ code: "NoSuchCORSConfiguration", status: 404 });
    await f.s3.send(
      new PutBucketCorsCommand({ Bucket: bucket2, CORSConfiguration: { CORSRules: [RULES[1]!] } }),
    );
    const ok = await preflight(`/${bucket2}/k`, {
      origin: "http://x.wild.example",
      "access-control-request-method": "GET",
    });
    expect(ok.status).toBe(200);
    const del = await f.s3.send(new DeleteBucketCorsCommand({ Bucket: bucket2 }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const gone = await sdkFailure(f.s3.send(new GetBucketCorsCommand({ Bucket: bucket2 })));
    expect(gone).toMatchObject({ code: "NoSuchCORSConfiguration", status: 404 });
    const refused = await readS3Error(
      await preflight(`/${bucket2}/k`, {
        origin: "http://x.wild.example",
        "access-control-request-method": "GET",
      }),
    );
    expect(refused).toMatchObject({ status: 403, code: "AccessForbidden", message: NOT_ENABLED });
  });
});
