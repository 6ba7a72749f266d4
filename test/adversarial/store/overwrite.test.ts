import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { runCatalogue } from "../support/runner.js";
import { SDM } from "../support/store-refusals.js";
import {
  BODY,
  completeXml,
  OTHER_BODY,
  openStoreWorld,
  type StoreWorld,
  sha256b64,
} from "../support/store-world.js";

const PRECONDITION: Refusal = { status: 412, code: "PreconditionFailed" };

type C = AdversarialCase<StoreWorld>;

/** A header-signed write to `path` with `headers`, sent as signed. */
function signedWrite(
  name: string,
  attack: string,
  expect: Refusal,
  target: (
    w: StoreWorld,
  ) => Promise<{ method: string; path: string; headers: Record<string, string>; body?: string | Buffer }>,
): C {
  return {
    family: "overwrite",
    name,
    attack,
    expect,
    setup: async (w) => {
      const t = await target(w);
      return { ...t, signed: await w.sign(t.method, t.path, { headers: t.headers, body: t.body ?? "" }) };
    },
    run: (w, p) => {
      const { method, path, body, signed } = p as {
        method: string;
        path: string;
        body?: string | Buffer;
        signed: SignedRequest;
      };
      return w.send(method, path, signed.headers, body);
    },
  };
}

/** `count` writers race for one fresh key with If-None-Match: *; exactly one may win, with its own bytes. */
function race(name: string, count: number, multipart: boolean): C {
  return {
    family: "overwrite",
    name,
    attack: `${count} concurrent ${multipart ? "CompleteMultipartUploads" : "PUTs"} with If-None-Match: * on one new key (the winner's write is the one legitimate change)`,
    expect: PRECONDITION,
    allowStateChange: true,
    setup: async (w) => {
      const key = w.freshKey("uploads/user-1/race");
      const bodies = Array.from({ length: count }, (_, i) => Buffer.from(`writer ${i} `.repeat(40)));
      if (!multipart) {
        const signed = await Promise.all(
          bodies.map((body) =>
            w.presign({
              key,
              headers: {
                "content-length": body.length,
                "x-amz-checksum-sha256": sha256b64(body),
                "if-none-match": "*",
              },
            }),
          ),
        );
        return {
          key,
          bodies,
          requests: signed.map((s, i) => () => w.send("PUT", s.url, s.headers, bodies[i])),
        };
      }
      const uploads = await Promise.all(bodies.map((body) => w.createUpload(key, [body])));
      const requests = await Promise.all(
        uploads.map(async (up) => {
          const path = w.path(key, `uploadId=${encodeURIComponent(up.uploadId)}`);
          const body = completeXml(up.parts);
          const signed = await w.sign("POST", path, { headers: { "if-none-match": "*" }, body });
          return () => w.send("POST", path, signed.headers, body);
        }),
      );
      return { key, bodies, requests };
    },
    run: async (_w, p) => {
      const { requests } = p as { requests: Array<() => Promise<Refusal>> };
      const results = await Promise.all(requests.map((send) => send()));
      const winners = results.filter((r) => r.status === 200);
      const losers = results.filter((r) => r.status !== 200);
      const loserCodes = new Set(losers.map((r) => `${r.status} ${r.code}`));
      if (winners.length !== 1) return { status: 200, code: `${winners.length} writers won` };
      // A loser that raced the commit itself gets 409 ConditionalRequestConflict on S3; here every loser is 412.
      if (loserCodes.size !== 1) return { status: 0, code: [...loserCodes].join(" / ") };
      return losers[0]!;
    },
    verify: async (w, p) => {
      const { key, bodies } = p as { key: string; bodies: Buffer[] };
      const meta = await w.store.state.backend.headObject(w.bucket, key);
      if (!meta) throw new Error("no writer's object was stored");
      const read = await w.store.state.backend.readObject(w.bucket, key);
      const chunks: Buffer[] = [];
      for await (const c of read!.body) chunks.push(c as Buffer);
      const stored = Buffer.concat(chunks);
      if (!bodies.some((b) => b.equals(stored)))
        throw new Error("the stored bytes are no single writer's body");
    },
  };
}

const cases: C[] = [
  {
    family: "overwrite",
    name: "presigned write-once PUT onto the existing key",
    attack: "a URL signed with If-None-Match: * for a key that already holds an object",
    expect: PRECONDITION,
    setup: (w) => w.presign({ key: w.existing.key }),
    run: (w, s) => w.send("PUT", (s as PresignedRequest).url, (s as PresignedRequest).headers, BODY),
  },
  {
    family: "overwrite",
    name: "write-once header stripped from a presigned PUT",
    attack: "the signed If-None-Match: * left out, to overwrite the existing key",
    expect: SDM,
    setup: (w) => w.presign({ key: w.existing.key }),
    run: (w, s) => {
      const { "if-none-match": _, ...rest } = (s as PresignedRequest).headers;
      return w.send("PUT", (s as PresignedRequest).url, rest, BODY);
    },
  },
  {
    family: "overwrite",
    name: "write-once header weakened to an ETag",
    attack: 'the signed If-None-Match: * replaced by If-None-Match: "<some etag>"',
    expect: SDM,
    setup: (w) => w.presign({ key: w.existing.key }),
    run: (w, s) =>
      w.send(
        "PUT",
        (s as PresignedRequest).url,
        { ...(s as PresignedRequest).headers, "if-none-match": '"abc"' },
        BODY,
      ),
  },
  signedWrite(
    "header-signed If-None-Match: * onto the existing key",
    "PUT with If-None-Match: * to a key that exists",
    PRECONDITION,
    async (w) => ({
      method: "PUT",
      path: w.path(w.existing.key),
      headers: { "if-none-match": "*" },
      body: OTHER_BODY,
    }),
  ),
  signedWrite(
    "If-Match with a stale ETag",
    "PUT with If-Match naming an ETag the object does not have",
    PRECONDITION,
    async (w) => ({
      method: "PUT",
      path: w.path(w.existing.key),
      headers: { "if-match": '"0123456789abcdef0123456789abcdef"' },
      body: OTHER_BODY,
    }),
  ),
  signedWrite(
    "If-Match on a key that does not exist",
    "PUT with If-Match: * to a new key (only-if-exists)",
    { status: 404, code: "NoSuchKey" },
    async (w) => ({
      method: "PUT",
      path: w.path(w.freshKey("uploads/user-1/absent")),
      headers: { "if-match": "*" },
      body: OTHER_BODY,
    }),
  ),
  signedWrite(
    "If-None-Match with an ETag on a write",
    'If-None-Match: "<etag>" (S3 only implements "*" on writes)',
    { status: 501, code: "NotImplemented" },
    async (w) => ({
      method: "PUT",
      path: w.path(w.existing.key),
      headers: { "if-none-match": w.existing.etag },
      body: OTHER_BODY,
    }),
  ),
  signedWrite(
    "CompleteMultipartUpload with If-None-Match onto the existing key",
    "a multipart upload for the existing key completed with If-None-Match: * (the upload must survive)",
    PRECONDITION,
    async (w) => {
      const up = await w.createUpload(w.existing.key, [OTHER_BODY]);
      return {
        method: "POST",
        path: w.path(w.existing.key, `uploadId=${encodeURIComponent(up.uploadId)}`),
        headers: { "if-none-match": "*" },
        body: completeXml(up.parts),
      };
    },
  ),
  signedWrite(
    "CopyObject with If-None-Match onto the existing key",
    "a server-side copy of another object over the existing key with If-None-Match: *",
    PRECONDITION,
    async (w) => {
      const source = w.freshKey("uploads/user-1/copy-source");
      const put = await w.sign("PUT", w.path(source), { body: OTHER_BODY });
      const made = await w.send("PUT", w.path(source), put.headers, OTHER_BODY);
      if (made.status !== 200) throw new Error(`setup PUT failed: ${JSON.stringify(made)}`);
      return {
        method: "PUT",
        path: w.path(w.existing.key),
        headers: { "if-none-match": "*", "x-amz-copy-source": `/${w.bucket}/${source}` },
      };
    },
  ),
  race("eight racing write-once PUTs", 8, false),
  race("four racing write-once Completes", 4, true),
];

runCatalogue("store-overwrite", openStoreWorld({ backend: "fs" }), cases);
