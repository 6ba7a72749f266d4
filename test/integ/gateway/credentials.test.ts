/**
 * storage.credentials beyond fixed keys: SDK-shaped objects, a provider of temporary credentials
 * (the embedded store's, which expire), what happens when a refresh fails, when storage refuses
 * credentials the gateway still holds, and how URL lifetimes follow the credentials'.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { StorageCredentials } from "../../../src/server/s3/credentials/types.js";
import type { TemporaryCredentials } from "../../../src/store/index.js";
import { TEST_CREDENTIALS } from "../../support/store-fixture.js";
import {
  bytes,
  complete,
  createUpload,
  type Harness,
  json,
  memoryLogger,
  PNG_1X1,
  postForm,
  putPng,
  putWith,
  refreshes,
  sha256b64,
  signToken,
  startGateway,
} from "./support.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keyOf = (url: string) =>
  decodeURIComponent(new URL(url).searchParams.get("X-Amz-Credential")!).split("/")[0]!;
const expiresParam = (url: string) => Number(new URL(url).searchParams.get("X-Amz-Expires"));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A provider of the store's credentials: `plan(n)` says what the n-th call (from 1) returns. */
function storeProvider(
  plan: (n: number, issue: (seconds: number) => TemporaryCredentials) => StorageCredentials,
) {
  const state = { calls: 0 };
  const provider = async () => {
    state.calls += 1;
    return plan(state.calls, (seconds) => h!.store.issueCredentials(seconds));
  };
  return { provider, state };
}

describe("storage.credentials", () => {
  it("takes an AWS SDK credentials object as it is ($source, accountId, ...) and keeps only the keys", async () => {
    const sdkShaped = {
      ...TEST_CREDENTIALS,
      $source: { CREDENTIALS_CODE: "e" },
      accountId: "123456789012",
      credentialScope: "us-east-1",
    };
    const { logger, lines } = memoryLogger();
    h = await startGateway({ storage: { credentials: sdkShaped }, logger });
    expect(h.gateway.config.storage.credentials).toEqual(TEST_CREDENTIALS);
    const token = await signToken("sdk");
    const put = await putPng(h, token);
    expect((await complete(h, token, put.id)).body.upload.status).toBe("verified");
    expect(lines.join("\n")).not.toContain("123456789012");
  });

  it('refuses what is neither keys, a function nor "aws", saying what is accepted', async () => {
    await expect(startGateway({ storage: { credentials: "env" as never } })).rejects.toThrow(
      'storage.credentials: must be keys { accessKeyId, secretAccessKey, sessionToken? }, "aws" (the AWS default chain), or a function returning keys',
    );
  });

  it("keeps the last good credentials when a refresh fails (a warning, no secret), and takes new ones after", async () => {
    const { logger, lines } = memoryLogger();
    const sets: TemporaryCredentials[] = [];
    const { provider, state } = storeProvider((n, issue) => {
      if (n === 2) throw new Error("connect ECONNREFUSED 169.254.170.2:80");
      const creds = issue(6);
      sets.push(creds);
      return creds;
    });
    h = await startGateway({ storage: { credentials: provider }, logger });
    const token = await signToken("keeper");

    const first = await putPng(h, token, "1.png");
    expect(keyOf(first.url)).toBe(sets[0]!.accessKeyId);
    await sleep(3200); // past half the first set's life: the next use refreshes, and that fails
    const during = await putPng(h, token, "2.png");
    expect(state.calls).toBe(2);
    expect(keyOf(during.url)).toBe(sets[0]!.accessKeyId);
    expect((await complete(h, token, during.id)).body.upload.status).toBe("verified");
    await sleep(1800); // the retry delay has passed
    const after = await putPng(h, token, "3.png");
    expect(keyOf(after.url)).toBe(sets[1]!.accessKeyId);
    expect((await complete(h, token, after.id)).body.upload.status).toBe("verified");

    const log = lines.join("\n");
    expect(log).toContain(
      "storage credentials could not be refreshed; the ones held are used while they last",
    );
    expect(log).toContain("ECONNREFUSED");
    for (const set of sets) {
      expect(log).not.toContain(set.secretAccessKey);
      expect(log).not.toContain(set.sessionToken);
    }
    expect(await refreshes(h.gateway, "failed")).toBe(1);
  });

  it("answers 503 STORAGE_UNAVAILABLE when no credentials can be had at all", async () => {
    h = await startGateway({
      storage: {
        credentials: async () => {
          throw new Error("no role attached");
        },
      },
    });
    const res = await createUpload(h, await signToken("none"), "images", {
      name: "a.png",
      type: "image/png",
      size: PNG_1X1.length,
    });
    expect(res.res.status).toBe(503);
    expect(res.body.error.code).toBe("STORAGE_UNAVAILABLE");
  });
});

describe("storage refusing the credentials held: one refresh, and the request again", () => {
  it("ExpiredToken, as XML to a listing and as a bare 400 to HEAD: the sweep and the complete succeed", async () => {
    // The provider claims an hour; the store lets the first two sets live 2 seconds.
    const { provider, state } = storeProvider((n, issue) => ({
      ...issue(n <= 2 ? 2 : 3600),
      expiration: new Date(Date.now() + 3600_000),
    }));
    h = await startGateway({ storage: { credentials: provider } });
    const token = await signToken("expired");
    const put = await putPng(h, token);
    await sleep(2100);
    await h.gateway.sweep();
    expect(state.calls).toBe(2);
    await sleep(2100);
    const done = await complete(h, token, put.id);
    expect(done.res.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.upload.status).toBe("verified");
    expect(state.calls).toBe(3);
    expect(await refreshes(h.gateway)).toBe(3);
  });

  it("InvalidAccessKeyId after a rotation: the listing of a sweep succeeds with the new key", async () => {
    const { provider, state } = storeProvider((n, issue) =>
      n === 1
        ? { accessKeyId: "ASIAROTATEDAWAYXXXXX", secretAccessKey: "gone", sessionToken: "gone" }
        : issue(3600),
    );
    h = await startGateway({ storage: { credentials: provider } });
    await h.gateway.sweep();
    expect(state.calls).toBe(2);
    const metric = (await h.gateway.metrics.getMetricsAsJSON()).find(
      (m) => m.name === "upgate_storage_credential_refreshes_total",
    );
    expect(metric?.values).toContainEqual(
      expect.objectContaining({ labels: { outcome: "ok", reason: "refused" }, value: 1 }),
    );
  });

  it("does not retry with fixed keys: a refusal is final", async () => {
    h = await startGateway({ storage: { credentials: { ...TEST_CREDENTIALS, secretAccessKey: "wrong" } } });
    const res = await h.api("/v1/uploads/nope/complete", { method: "POST", token: await signToken("x") });
    expect(res.status).toBe(404);
    await expect(h.gateway.sweep()).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});

describe("URL lifetimes follow the credentials", () => {
  const routes = {
    images: { types: ["image/png"], maxSize: "1MB", expiresIn: "5m" },
    forms: { types: ["image/png"], maxSize: "1MB", strategy: "post" as const, expiresIn: "5m" },
    videos: {
      types: ["application/octet-stream"],
      maxSize: "100MB",
      strategy: "multipart" as const,
      partSize: "5MB",
      expiresIn: "5m",
    },
  };

  it("caps every URL at the credentials' remaining life; expiresAt (answer and ledger) is the true expiry", async () => {
    h = await startGateway({ storage: { credentials: async () => h!.store.issueCredentials(90) }, routes });
    const token = await signToken("capped");
    const before = Date.now();
    const put = await putPng(h, token);
    const left = Date.parse(put.expiresAt) - before;
    expect(left).toBeGreaterThan(85_000);
    expect(left).toBeLessThanOrEqual(90_000);
    expect(expiresParam(put.url)).toBeLessThanOrEqual(90);
    // X-Amz-Date + X-Amz-Expires is exactly expiresAt.
    const amzDate = new URL(put.url).searchParams.get("X-Amz-Date")!;
    const signedAt = Date.parse(
      amzDate.replace(/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/, "$1-$2-$3T$4:$5:$6Z"),
    );
    expect(new Date(signedAt + expiresParam(put.url) * 1000).toISOString()).toBe(put.expiresAt);
    expect((await h.gateway.ledger.get(put.id))?.expiresAt.toISOString()).toBe(put.expiresAt);

    const form = await createUpload(h, token, "forms", {
      name: "f.png",
      type: "image/png",
      size: PNG_1X1.length,
    });
    const post = form.body.uploads[0];
    expect(Date.parse(post.expiresAt) - before).toBeLessThanOrEqual(90_000);
    const policy = JSON.parse(Buffer.from(post.fields.policy ?? post.fields.Policy, "base64").toString());
    expect(policy.expiration).toBe(post.expiresAt);
    expect((await postForm(post, PNG_1X1, "image/png")).status).toBeLessThan(300);

    const size = 6 * 1024 * 1024;
    const multi = await createUpload(h, token, "videos", {
      name: "v.bin",
      type: "application/octet-stream",
      size,
    });
    const mp = multi.body.uploads[0];
    expect(Date.parse(mp.expiresAt) - before).toBeLessThanOrEqual(90_000);
    expect(mp.parts).toEqual([]);
    const body = bytes(size);
    const parts = await h.api(`/v1/uploads/${mp.id}/parts`, {
      token,
      body: {
        partNumbers: [1, 2],
        sha256: {
          "1": sha256b64(body.subarray(0, 5 * 1024 * 1024)),
          "2": sha256b64(body.subarray(5 * 1024 * 1024)),
        },
      },
    });
    const fresh = await json(parts);
    expect(Date.parse(fresh.expiresAt) - Date.now()).toBeLessThanOrEqual(90_000);
    expect((await h.gateway.ledger.get(mp.id))?.expiresAt.toISOString()).toBe(fresh.expiresAt);
    expect(fresh.parts).toHaveLength(2);
    for (const part of fresh.parts) {
      expect(expiresParam(part.url)).toBeLessThanOrEqual(90);
      const start = (part.partNumber - 1) * 5 * 1024 * 1024;
      expect((await putWith(part, body.subarray(start, start + part.size))).status).toBe(200);
    }
  });

  it("gives the route's whole lifetime when the credentials outlast it", async () => {
    h = await startGateway({ storage: { credentials: async () => h!.store.issueCredentials(3600) }, routes });
    const put = await putPng(h, await signToken("long"));
    expect(expiresParam(put.url)).toBe(300);
    const signedAt = Math.floor(Date.parse(put.expiresAt) / 1000) * 1000 - 300_000;
    expect(Math.abs(signedAt - Date.now())).toBeLessThan(2000);
  });
});
