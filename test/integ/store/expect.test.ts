/**
 * Expect headers: S3 ignores expectations it does not know (an empty one included) and serves the
 * request, where node's http server would answer 417 Expectation Failed; 100-continue keeps working.
 */
import { createHash } from "node:crypto";
import { request } from "node:http";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "../../../src/core/sigv4/sign-request.js";
import { rawHttp } from "../../support/raw-http.js";
import { type StoreFixture, startStore } from "../../support/store-fixture.js";

describe("Expect headers", () => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await startStore();
  });
  afterAll(async () => {
    await f?.close();
  });

  /** A signed PUT of `body`, as raw bytes, with `expectLine` added unsigned. */
  async function putWith(key: string, body: string, expectLine: string) {
    const url = `${f.url}/${f.bucket}/${key}`;
    const signed = await signRequest({
      method: "PUT",
      url,
      headers: { "content-length": String(body.length) },
      body,
      region: f.region,
      credentials: f.credentials,
    });
    const lines = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`);
    const host = new URL(f.url).host;
    const head = [
      `PUT /${f.bucket}/${key} HTTP/1.1`,
      `Host: ${host}`,
      ...lines,
      expectLine,
      "Connection: close",
    ].join("\r\n");
    return rawHttp(f.url, `${head}\r\n\r\n${body}`, { halfClose: false });
  }

  const read = async (key: string) => {
    const out = await f.s3.send(new GetObjectCommand({ Bucket: f.bucket, Key: key }));
    return out.Body!.transformToString();
  };

  it.each([
    ["Expect: 200", "expect-200"],
    ["Expect:", "expect-empty"],
    ["Expect: something-else", "expect-other"],
  ])("serves a PUT sent with %j", async (line, key) => {
    const res = await putWith(key, "bar", line);
    expect(res.status, res.body).toBe(200);
    expect(res.headers.etag).toBe(`"${createHash("md5").update("bar").digest("hex")}"`);
    expect(await read(key)).toBe("bar");
  });

  it("still answers 100 Continue before the body of an Expect: 100-continue PUT", async () => {
    const body = "continued";
    const url = `${f.url}/${f.bucket}/continue`;
    const signed = await signRequest({
      method: "PUT",
      url,
      headers: { "content-length": String(body.length) },
      body,
      region: f.region,
      credentials: f.credentials,
    });
    const status = await new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
      let continued = false;
      const req = request(url, { method: "PUT", headers: { ...signed.headers, expect: "100-continue" } });
      req.on("continue", () => {
        continued = true;
        req.end(body);
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve({ continued, status: res.statusCode! }));
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(status).toEqual({ continued: true, status: 200 });
    expect(await read("continue")).toBe(body);
  });
});
