import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CREDENTIALS } from "../../support/store-fixture.js";
import {
  bytes,
  complete,
  createUpload,
  type Harness,
  JWT_SECRET,
  json,
  MiB,
  memoryLogger,
  PNG_1X1,
  postForm,
  putWith,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

const API_KEY = "sk_test_api_key_0123456789abcdef";
const WEBHOOK_SECRET = "whsec_0123456789abcdef0123";

describe("secrets never reach the logs or error bodies", () => {
  let h: Harness;
  const { logger, lines } = memoryLogger();
  /** Every secret the flow handles: credentials, tokens, and every signature it was given. */
  const secrets = new Set<string>([TEST_CREDENTIALS.secretAccessKey, JWT_SECRET, API_KEY, WEBHOOK_SECRET]);
  const errorBodies: string[] = [];
  const signatureOf = (url: string) => {
    const signature = new URL(url).searchParams.get("X-Amz-Signature");
    if (!signature) throw new Error(`no signature in ${url}`);
    secrets.add(signature);
  };
  const record = async (res: Response) => {
    const text = await res.clone().text();
    if (res.status >= 400) errorBodies.push(text);
    return res;
  };
  const completeRecorded = async (token: string, id: string) => {
    const { res, body } = await complete(h, token, id);
    if (res.status >= 400) errorBodies.push(JSON.stringify(body));
    return res;
  };

  beforeAll(async () => {
    h = await startGateway({
      logger,
      auth: { jwt: { secret: JWT_SECRET }, apiKeys: { [API_KEY]: "backend" } },
      routes: {
        images: {
          types: ["image/png"],
          maxSize: "1MB",
          onUploadComplete: () => {
            throw new Error(`hook failed near ${JWT_SECRET} / ${TEST_CREDENTIALS.secretAccessKey}`);
          },
          webhook: { url: "https://hooks.example.test/upgate", secret: WEBHOOK_SECRET },
        },
        forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" },
        videos: {
          types: ["application/octet-stream"],
          maxSize: "20MB",
          strategy: "multipart",
          partSize: "5MB",
        },
        boom: {
          types: ["image/png"],
          maxSize: "1MB",
          metadata: () => {
            throw new TypeError(`metadata blew up with Authorization: Bearer ${API_KEY}`);
          },
        },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("through a full flow with failures, no log line or error body contains any of them", async () => {
    const token = await signToken("alice");
    secrets.add(token);
    const png = { name: "a.png", type: "image/png", size: PNG_1X1.length };

    // PUT flow, with a failing onUploadComplete hook (logged) and a download.
    const put = (await createUpload(h, token, "images", png)).body.uploads[0];
    signatureOf(put.url);
    expect((await putWith(put, PNG_1X1)).status).toBe(200);
    expect((await completeRecorded(token, put.id)).status).toBe(200);
    const redirect = await record(await h.api(`/v1/files/${put.id}`, { token }));
    signatureOf(redirect.headers.get("location")!);

    // POST form: the policy's signature.
    const post = (await createUpload(h, token, "forms", png)).body.uploads[0];
    secrets.add(post.fields["x-amz-signature"]);
    expect((await postForm(post, PNG_1X1, "image/png")).status).toBe(204);

    // Multipart: every part URL's signature.
    const mp = (
      await createUpload(h, token, "videos", {
        name: "v.bin",
        type: "application/octet-stream",
        size: 6 * MiB,
      })
    ).body.uploads[0];
    // Signed by /parts, binding each part's SHA-256 (a sha256 route's create answer lists none).
    const data = bytes(6 * MiB);
    const signed = await json(
      await record(
        await h.api(`/v1/uploads/${mp.id}/parts`, {
          token,
          body: {
            partNumbers: [1, 2],
            sha256: { "1": sha256b64(data.subarray(0, 5 * MiB)), "2": sha256b64(data.subarray(5 * MiB)) },
          },
        }),
      ),
    );
    expect(signed.parts).toHaveLength(2);
    for (const part of signed.parts) signatureOf(part.url);
    expect((await putWith(signed.parts[0], data.subarray(0, 5 * MiB))).status).toBe(200);
    expect((await completeRecorded(token, mp.id)).status).toBe(409);

    // API key, then failures: wrong key, expired and forged tokens, an internal error, storage down.
    expect((await record(await h.api("/v1/uploads", { headers: { "x-api-key": API_KEY } }))).status).toBe(
      200,
    );
    const nearMiss = `${API_KEY.slice(0, -1)}X`;
    secrets.add(nearMiss);
    expect((await record(await h.api("/v1/uploads", { headers: { "x-api-key": nearMiss } }))).status).toBe(
      401,
    );
    const expired = await signToken("alice", { expiresIn: Math.floor(Date.now() / 1000) - 300 });
    secrets.add(expired);
    expect((await record(await h.api("/v1/uploads", { token: expired }))).status).toBe(401);
    const forged = await signToken("alice", { secret: "forged-secret-0123456789abcdefghijkl" });
    secrets.add(forged);
    expect((await record(await h.api("/v1/uploads", { token: forged }))).status).toBe(401);
    expect(
      (await record(await h.api("/v1/uploads", { token, body: { route: "boom", files: [png] } }))).status,
    ).toBe(500);
    expect(
      (await record(await h.api(`/v1/uploads?token=${token}&X-Amz-Signature=${[...secrets][4]}`, { token })))
        .status,
    ).toBe(200);

    const pending = (await createUpload(h, token, "images", png)).body.uploads[0];
    signatureOf(pending.url);
    expect((await putWith(pending, PNG_1X1)).status).toBe(200);
    await h.stopStorage();
    expect((await completeRecorded(token, pending.id)).status).toBe(503);
    await h.restoreStorage();

    // The logs really were written, errors with their causes included (else this test proves nothing).
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.filter((l) => l.msg === "request").length).toBeGreaterThanOrEqual(14);
    expect(parsed.some((l) => String(l.msg).startsWith("onUploadComplete failed"))).toBe(true);
    expect(
      parsed.some((l) => l.msg === "unexpected error" && JSON.stringify(l.err).includes("metadata blew up")),
    ).toBe(true);
    expect(parsed.some((l) => String(l.msg).startsWith("STORAGE_UNAVAILABLE"))).toBe(true);
    expect(errorBodies.length).toBeGreaterThanOrEqual(5);

    expect(secrets.size).toBeGreaterThanOrEqual(12);
    for (const secret of secrets) {
      for (const line of lines) expect(line.includes(secret), `log line leaks a secret: ${line}`).toBe(false);
      for (const body of errorBodies)
        expect(body.includes(secret), `error body leaks a secret: ${body}`).toBe(false);
    }
    // Paths are logged without their query strings.
    expect(lines.some((line) => line.includes("token="))).toBe(false);
  });
});
