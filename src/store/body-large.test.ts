/**
 * Bodies large enough for the pipelined path (md5 on a worker, batched writes), through the real
 * server on the fs backend: what is acknowledged is stored exactly, and a body that fails a check or
 * stops midway leaves nothing behind, not even a temporary file.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { signRequest } from "../core/sigv4/sign-request.js";
import { PIPELINE_MIN_BYTES } from "./body-pipeline.js";
import { createObjectStore, type ObjectStore } from "./index.js";

const CREDENTIALS = { accessKeyId: "AKIDLARGEBODY0000001", secretAccessKey: "large-body-secret" };
const BUCKET = "large-bodies";
const SIZE = PIPELINE_MIN_BYTES * 2 + 12_345;

describe("large bodies on the fs backend", () => {
  let dir = "";
  let store: ObjectStore;
  const body = randomBytes(SIZE);
  const sha256 = createHash("sha256").update(body).digest("base64");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "upgate-large-body-"));
    store = createObjectStore({ dataDir: dir, credentials: [CREDENTIALS], buckets: [BUCKET] });
    await store.listen(0, "127.0.0.1");
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function signed(method: string, key: string, headers: Record<string, string> = {}) {
    const url = `${store.url}/${BUCKET}/${key}`;
    const s = await signRequest({
      method,
      url,
      headers,
      payloadHash: "UNSIGNED-PAYLOAD",
      region: "us-east-1",
      credentials: CREDENTIALS,
    });
    return { url, headers: s.headers };
  }

  /** PUTs `body`, or only its first `sendBytes` before destroying the connection. */
  async function put(key: string, checksum: string, sendBytes = SIZE) {
    const { url, headers } = await signed("PUT", key, { "x-amz-checksum-sha256": checksum });
    return new Promise<{ status: number; text: string } | "cut">((resolve, reject) => {
      const req = request(url, { method: "PUT", headers: { ...headers, "content-length": String(SIZE) } });
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (t: string) => {
          text += t;
        });
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      });
      req.on("error", (err) => (sendBytes < SIZE ? resolve("cut") : reject(err)));
      if (sendBytes === SIZE) req.end(body);
      else req.write(body.subarray(0, sendBytes), () => setTimeout(() => req.destroy(), 50));
    });
  }

  const tmpFiles = () => readdir(join(dir, "tmp"));
  const get = async (key: string) => {
    const { url, headers } = await signed("GET", key, { "x-amz-checksum-mode": "ENABLED" });
    return fetch(url, { headers });
  };

  test("an acknowledged large PUT reads back byte for byte, with its md5 ETag and sha256", async () => {
    const res = await put("whole", sha256);
    expect(res).toEqual({ status: 200, text: "" });
    const got = await get("whole");
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe(`"${createHash("md5").update(body).digest("hex")}"`);
    expect(got.headers.get("x-amz-checksum-sha256")).toBe(sha256);
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
  });

  test("a large body that does not match its checksum is refused and leaves nothing", async () => {
    const wrong = createHash("sha256").update("something else").digest("base64");
    const res = await put("mismatch", wrong);
    expect(res !== "cut" && res.status).toBe(400);
    expect(res !== "cut" && res.text).toContain("<Code>BadDigest</Code>");
    expect((await get("mismatch")).status).toBe(404);
    expect(await tmpFiles()).toEqual([]);
  });

  test("a large body cut off midway is never stored, and its temporary file goes away", async () => {
    expect(await put("cut", sha256, PIPELINE_MIN_BYTES + 999)).toBe("cut");
    for (let i = 0; i < 100 && (await tmpFiles()).length > 0; i++) await sleep(20);
    expect(await tmpFiles()).toEqual([]);
    expect((await get("cut")).status).toBe(404);
  });
});
