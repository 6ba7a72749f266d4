import type { PresignedRequest } from "../../../src/core/sigv4/presign.js";
import type { SignedRequest } from "../../../src/core/sigv4/sign-request.js";
import type { AdversarialCase, Refusal } from "../support/case.js";
import { requestHead } from "../support/raw-socket.js";
import { runCatalogue } from "../support/runner.js";
import { DENIED, SDM } from "../support/store-refusals.js";
import {
  BODY,
  completeXml,
  md5hex,
  openStoreWorld,
  type StoreWorld,
  sha256b64,
  type UploadState,
} from "../support/store-world.js";
import { chunkedPut, sendChunked, setParam } from "../support/tamper.js";

const NO_UPLOAD: Refusal = { status: 404, code: "NoSuchUpload" };

type C = AdversarialCase<StoreWorld>;

/** A presigned part URL for part 1 of the world's upload, bound to its length. */
const partUrl = (w: StoreWorld, key = w.upload.key, uploadId = w.upload.uploadId, partNumber = 1) =>
  w.presign({
    key,
    headers: { "content-length": BODY.length },
    query: { partNumber, uploadId },
  });

const sendPart = (w: StoreWorld, s: PresignedRequest, url = s.url) => w.send("PUT", url, s.headers, BODY);

/** The world's part-1 URL, its URL rewritten by `alter` before the part is sent: the signature must not hold. */
const partReplay = (name: string, attack: string, alter: (url: string, w: StoreWorld) => string): C => ({
  family: "replay",
  name,
  attack,
  expect: SDM,
  setup: (w) => partUrl(w),
  run: (w, s) => sendPart(w, s as PresignedRequest, alter((s as PresignedRequest).url, w)),
});

/** A part URL of a fresh upload that `end` then completes or aborts: sending it again finds no upload. */
function partUrlAfter(
  name: string,
  attack: string,
  prefix: string,
  end: (w: StoreWorld, path: string, up: UploadState) => Promise<void>,
): C {
  return {
    family: "replay",
    name,
    attack,
    expect: NO_UPLOAD,
    setup: async (w) => {
      const key = w.freshKey(`uploads/user-1/${prefix}`);
      const up = await w.createUpload(key, [BODY]);
      const url = await partUrl(w, key, up.uploadId);
      await end(w, w.path(key, `uploadId=${encodeURIComponent(up.uploadId)}`), up);
      return url;
    },
    run: (w, s) => sendPart(w, s as PresignedRequest),
  };
}

const cases: C[] = [
  partReplay(
    "part URL replayed as another part number",
    "a presigned URL for part 1 sent with partNumber=2",
    (url) => setParam(url, "partNumber", "2"),
  ),
  partReplay(
    "part URL replayed onto another upload",
    "a presigned URL for part 1 of upload A sent with upload B's id",
    (url, w) => setParam(url, "uploadId", encodeURIComponent(w.otherUpload.uploadId)),
  ),
  partReplay(
    "part URL replayed onto another key",
    "a presigned part URL sent to another key's path, same upload id",
    (url) => url.replace("multipart.bin", "other.bin"),
  ),
  {
    family: "replay",
    name: "part URL turned into UploadPartCopy",
    attack: "x-amz-copy-source added to a presigned part URL, to fill the part with another object's bytes",
    expect: DENIED,
    setup: (w) => partUrl(w),
    run: (w, s) =>
      w.send("PUT", (s as PresignedRequest).url, {
        ...(s as PresignedRequest).headers,
        "x-amz-copy-source": `/${w.bucket}/${w.existing.key}`,
      }),
  },
  partReplay(
    "part URL with a second uploadId prepended",
    "uploadId=B&...&uploadId=A: a router taking the first value would write into upload B",
    (url, w) => url.replace("?", `?uploadId=${encodeURIComponent(w.otherUpload.uploadId)}&`),
  ),
  partReplay("part URL with a second partNumber prepended", "partNumber=9&...&partNumber=1", (url) =>
    url.replace("?", "?partNumber=9&"),
  ),
  partUrlAfter(
    "part URL replayed after the upload completed",
    "the part URL of a completed upload sent again",
    "done",
    async (w, path, up) => {
      const body = completeXml(up.parts);
      const signed = await w.sign("POST", path, { body });
      const done = await w.send("POST", path, signed.headers, body);
      if (done.status !== 200) throw new Error(`setup complete failed: ${JSON.stringify(done)}`);
    },
  ),
  partUrlAfter(
    "part URL replayed after the upload was aborted",
    "the part URL of an aborted upload sent again",
    "aborted",
    async (w, path) => {
      const signed = await w.sign("DELETE", path);
      const done = await w.send("DELETE", path, signed.headers);
      if (done.status !== 204) throw new Error(`setup abort failed: ${JSON.stringify(done)}`);
    },
  ),
  {
    family: "replay",
    name: "write-once PUT URL used a second time",
    attack: "a presigned PUT (If-None-Match: * signed) replayed after its upload succeeded",
    expect: { status: 412, code: "PreconditionFailed" },
    setup: async (w) => {
      const s = await w.presign();
      const first = await w.send("PUT", s.url, s.headers, BODY);
      if (first.status !== 200) throw new Error(`setup PUT failed: ${JSON.stringify(first)}`);
      return s;
    },
    run: (w, s) => w.send("PUT", (s as PresignedRequest).url, (s as PresignedRequest).headers, BODY),
  },
  {
    family: "replay",
    name: "presigned DELETE replayed onto another key",
    attack: "a DELETE URL for a throwaway key sent to the existing object's path",
    expect: SDM,
    setup: (w) => w.presign({ method: "DELETE", key: w.freshKey("uploads/user-1/tmp"), headers: {} }),
    run: (w, s) => {
      const url = (s as PresignedRequest).url.replace(
        /\/uploads\/user-1\/tmp-\d+\.txt/,
        `/${w.existing.key}`,
      );
      return w.send("DELETE", url, {});
    },
  },
  {
    family: "replay",
    name: "signed Complete replayed onto another upload",
    attack: "a header-signed CompleteMultipartUpload for upload A sent with upload B's id",
    expect: SDM,
    setup: async (w) => {
      const path = w.path(w.upload.key, `uploadId=${encodeURIComponent(w.upload.uploadId)}`);
      const body = completeXml(w.otherUpload.parts);
      return { body, signed: await w.sign("POST", path, { body }) };
    },
    run: (w, p) => {
      const { body, signed } = p as { body: string; signed: SignedRequest };
      return w.send(
        "POST",
        w.path(w.upload.key, `uploadId=${encodeURIComponent(w.otherUpload.uploadId)}`),
        signed.headers,
        body,
      );
    },
  },
  {
    family: "replay",
    name: "signed Abort replayed onto another upload",
    attack: "a header-signed AbortMultipartUpload for a throwaway upload sent with the real upload's id",
    expect: SDM,
    setup: async (w) => {
      const path = w.path(w.upload.key, "uploadId=throwaway");
      return w.sign("DELETE", path);
    },
    run: (w, s) =>
      w.send(
        "DELETE",
        w.path(w.upload.key, `uploadId=${encodeURIComponent(w.upload.uploadId)}`),
        (s as SignedRequest).headers,
      ),
  },
  {
    family: "replay",
    name: "signed request replayed to another Host",
    attack: "a header-signed PUT sent with Host: localhost:<port> instead of the signed 127.0.0.1:<port>",
    expect: SDM,
    setup: async (w) => {
      const path = w.path(w.freshKey("uploads/user-1/host"));
      return { path, signed: await w.sign("PUT", path, { body: BODY }) };
    },
    run: (w, p) => {
      const { path, signed } = p as { path: string; signed: SignedRequest };
      const port = new URL(w.url).port;
      const headers = Object.entries({
        ...signed.headers,
        host: `localhost:${port}`,
        "content-length": String(BODY.length),
      });
      return w.raw([requestHead("PUT", path, headers), BODY]);
    },
  },
  {
    family: "replay",
    name: "aws-chunked body replayed under another seed",
    attack: "the signed chunks of one upload sent with the seed signature of another (same key, same size)",
    expect: SDM,
    setup: async (w) => {
      const key = w.freshKey("uploads/user-1/chunk-replay");
      const payload = Buffer.alloc(9000, "r");
      const a = await chunkedPut(w, key, payload, "signed", { date: new Date(Date.now() - 5000) });
      const b = await chunkedPut(w, key, payload, "signed");
      return { a, b };
    },
    run: (w, p) => {
      const { a, b } = p as {
        a: Awaited<ReturnType<typeof chunkedPut>>;
        b: Awaited<ReturnType<typeof chunkedPut>>;
      };
      return sendChunked(w, b, a.wire);
    },
  },
  {
    family: "replay",
    name: "presigned checksum URL reused for another body of the same size",
    attack: "a URL signed for one body's sha256 used to upload a different body of equal length",
    expect: { status: 400, code: "BadDigest" },
    setup: (w) => w.presign(),
    run: (w, s) => {
      const other = Buffer.from(BODY.toString().replace("gateway", "hackers"));
      if (
        other.length !== BODY.length ||
        md5hex(other) === md5hex(BODY) ||
        sha256b64(other) === sha256b64(BODY)
      )
        throw new Error("the replacement body must differ at the same length");
      return w.send("PUT", (s as PresignedRequest).url, (s as PresignedRequest).headers, other);
    },
  },
];

runCatalogue("store-replay", openStoreWorld(), cases);
