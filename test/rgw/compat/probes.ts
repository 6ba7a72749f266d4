import { createHash, randomBytes } from "node:crypto";
import { rulesLines, sameRules } from "../../../src/cli/cors/diff.js";
import { mergeRules, requiredHeaders, upgateRule } from "../../../src/cli/cors/rules.js";
import { checkCors } from "../../../src/cli/doctor/cors-check.js";
import { checkMultipartWriteOnce } from "../../../src/cli/doctor/multipart-once-check.js";
import { checkPartChecksumEnforced } from "../../../src/cli/doctor/part-checksum-check.js";
import { checkPost } from "../../../src/cli/doctor/post-check.js";
import { checkPreflight } from "../../../src/cli/doctor/preflight-check.js";
import { checkChecksumEnforced, checkWriteReadDelete } from "../../../src/cli/doctor/probe-checks.js";
import { describeAnswer, s3Answer, sendable } from "../../../src/cli/doctor/s3-answer.js";
import type { CheckResult, DoctorContext } from "../../../src/cli/doctor/types.js";
import { completeMultipartUpload } from "../../../src/core/s3/requests.js";
import { childText } from "../../../src/core/s3/xml-read.js";
import { getBucketCors, putBucketCors } from "../../../src/server/s3/bucket-cors.js";
import { PROBE_ORIGIN } from "./context.js";

/** "partial": it works, with a difference the detail names. */
export type Support = "yes" | "no" | "partial";

export interface Measured {
  id: string;
  support: Support;
  detail: string;
}

export interface Probe {
  id: string;
  /** The capability, as the table's first column names it. */
  capability: string;
  run(ctx: DoctorContext): Promise<Omit<Measured, "id">>;
}

const MiB = 1024 * 1024;
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("base64");
const md5 = (data: Uint8Array | string) => createHash("md5").update(data).digest("base64");
const text = (s: string) => new TextEncoder().encode(s);
const key = (what: string) => `.upgate-compat/${what}-${randomBytes(6).toString("hex")}`;

function fromCheck(check: CheckResult): Omit<Measured, "id"> {
  const support: Support = check.status === "pass" ? "yes" : "no";
  return { support, detail: check.detail };
}

/** A presigned PUT with these signed headers; send() may change the headers or the body. */
async function signedPut(ctx: DoctorContext, k: string, headers: Record<string, string>) {
  const signed = await ctx.storage.presignPut(k, headers, 60);
  return (body: Uint8Array<ArrayBuffer>, override: Record<string, string> = {}) =>
    fetch(signed.url, {
      method: "PUT",
      headers: { ...sendable(signed.headers), ...override },
      body,
      signal: AbortSignal.timeout(15_000),
    });
}

/** Answers "refused" when storage says 4xx, "stored" (and deletes the object) when it says 2xx. */
async function refusedOrStored(ctx: DoctorContext, k: string, res: Response) {
  const answer = await s3Answer(res);
  if (res.ok) await ctx.storage.delete(k).catch(() => {});
  return { refused: res.status >= 400 && res.status < 500, stored: res.ok, answer: describeAnswer(answer) };
}

async function cleanup(ctx: DoctorContext, ...keys: string[]) {
  for (const k of keys) await ctx.storage.delete(k).catch(() => {});
}

/** A fresh key, a text body and a presigned PUT signing text/plain, the body's length and `extra`. */
async function textPut(ctx: DoctorContext, what: string, line: string, extra: Record<string, string> = {}) {
  const k = key(what);
  const body = text(line);
  const put = await signedPut(ctx, k, {
    "content-type": "text/plain",
    "content-length": String(body.length),
    ...extra,
  });
  return { k, body, put };
}

/** Stores `body` at `k` through a presigned PUT that signs only its length. */
async function putObject(ctx: DoctorContext, k: string, body: Uint8Array<ArrayBuffer>) {
  const put = await signedPut(ctx, k, { "content-length": String(body.length) });
  await (await put(body)).body?.cancel();
}

/** Sends part `n` of an upload through a presigned UploadPart URL that signs its length. */
async function putPart(
  ctx: DoctorContext,
  k: string,
  uploadId: string,
  n: number,
  part: Buffer | Uint8Array<ArrayBuffer>,
) {
  const signed = await ctx.storage.presignPart(k, uploadId, n, { "content-length": String(part.length) }, 60);
  return fetch(signed.url, { method: "PUT", headers: sendable(signed.headers), body: part });
}

/** For the probes where refusing is the capability: "yes" when storage refused what was `sent`. */
function yesIfRefused(r: { refused: boolean; answer: string }, sent: string): Omit<Measured, "id"> {
  return { support: r.refused ? "yes" : "no", detail: `${sent} got ${r.answer}` };
}

export const PROBES: Probe[] = [
  {
    id: "presigned-put",
    capability: "Presigned PUT with signed headers; HEAD, GET, DELETE",
    async run(ctx) {
      const [write] = await checkWriteReadDelete(ctx);
      return fromCheck(write!);
    },
  },
  {
    id: "signed-type",
    capability: "Signed `content-type` enforced (another type gets 403)",
    async run(ctx) {
      const { k, body, put } = await textPut(ctx, "type", "type probe\n");
      const r = await refusedOrStored(ctx, k, await put(body, { "content-type": "text/html" }));
      return yesIfRefused(r, "another content-type");
    },
  },
  {
    id: "signed-length",
    capability: "Signed `content-length` enforced (one byte more gets 403)",
    async run(ctx) {
      const { k, put } = await textPut(ctx, "length", "length probe\n");
      const r = await refusedOrStored(ctx, k, await put(text("length probe!\n")));
      return yesIfRefused(r, "a longer body");
    },
  },
  {
    id: "checksum-sha256",
    capability: "`x-amz-checksum-sha256` verified on PUT (wrong body gets 400 BadDigest)",
    run: async (ctx) => fromCheck(await checkChecksumEnforced(ctx)),
  },
  {
    id: "head-checksum",
    capability: "HEAD with `x-amz-checksum-mode: ENABLED` returns the object's SHA-256",
    async run(ctx) {
      const line = "head checksum probe\n";
      const { k, body, put } = await textPut(ctx, "head-checksum", line, {
        "x-amz-checksum-sha256": sha256(line),
      });
      const res = await put(body);
      if (!res.ok) return { support: "no", detail: `the PUT got ${describeAnswer(await s3Answer(res))}` };
      await res.body?.cancel();
      const head = await ctx.storage.head(k);
      await cleanup(ctx, k);
      const got = head?.checksums.sha256;
      if (got === sha256(body))
        return { support: "yes", detail: "HEAD returned the SHA-256 sent with the PUT" };
      return {
        support: "no",
        detail: got ? `HEAD returned another SHA-256 (${got})` : "HEAD returned no SHA-256",
      };
    },
  },
  {
    id: "content-md5",
    capability: "`Content-MD5` verified on PUT (wrong digest gets 400 BadDigest)",
    async run(ctx) {
      const { k, body, put } = await textPut(ctx, "md5", "content-md5 probe\n", {
        "content-md5": md5("other bytes"),
      });
      return yesIfRefused(await refusedOrStored(ctx, k, await put(body)), "a wrong Content-MD5");
    },
  },
  {
    id: "write-once",
    capability: "`If-None-Match: *` write-once on PUT (second PUT gets 412)",
    async run(ctx) {
      const [write, once] = await checkWriteReadDelete(ctx);
      if (!once) return fromCheck(write!);
      return fromCheck(once);
    },
  },
  {
    id: "write-once-multipart",
    capability: "`If-None-Match: *` on CompleteMultipartUpload (existing key gets 412)",
    run: async (ctx) => fromCheck(await checkMultipartWriteOnce(ctx)),
  },
  {
    id: "metadata",
    capability: "Signed `x-amz-meta-*` bound (another value gets 403) and returned by HEAD",
    async run(ctx) {
      const { k, body, put } = await textPut(ctx, "meta", "metadata probe\n", {
        "x-amz-meta-upgate-user": "alice",
      });
      const tampered = await refusedOrStored(
        ctx,
        k,
        await put(body, { "x-amz-meta-upgate-user": "mallory" }),
      );
      const res = await put(body);
      await res.body?.cancel();
      const head = await ctx.storage.head(k);
      await cleanup(ctx, k);
      const kept = head?.metadata["upgate-user"] === "alice";
      if (tampered.refused && kept) return { support: "yes", detail: `another value got ${tampered.answer}` };
      return {
        support: "no",
        detail: `another value got ${tampered.answer}; HEAD metadata ${JSON.stringify(head?.metadata ?? {})}`,
      };
    },
  },
  {
    id: "unsigned-amz",
    capability: "Unsigned `x-amz-*` header on a presigned PUT refused (an added `x-amz-meta-*` gets 403)",
    async run(ctx) {
      const { k, body, put } = await textPut(ctx, "unsigned", "unsigned header probe\n");
      const res = await put(body, { "x-amz-meta-added": "by-the-uploader" });
      const answer = describeAnswer(await s3Answer(res));
      if (!res.ok) return { support: "yes", detail: `an added x-amz-meta-added got ${answer}` };
      const head = await ctx.storage.head(k);
      await cleanup(ctx, k);
      return {
        support: "no",
        detail: `a PUT adding an unsigned x-amz-meta-added was stored${head?.metadata.added ? " with it" : ""}: this storage accepts unsigned x-amz-* headers`,
      };
    },
  },
  {
    id: "post",
    capability: "POST Object (browser form) with a signed policy",
    run: async (ctx) => fromCheck(await checkPost(ctx)),
  },
  {
    id: "post-length-range",
    capability: "POST policy `content-length-range` enforced (one byte more refused)",
    async run(ctx) {
      const k = key("post-range");
      const body = text("post range probe\n");
      const form = await ctx.storage.presignPost({
        key: k,
        fields: { "Content-Type": "text/plain" },
        contentLengthRange: [body.length, body.length],
        expiresIn: 60,
      });
      const data = new FormData();
      for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
      data.append("file", new Blob([text("post range probe!!\n")], { type: "text/plain" }), "probe.txt");
      const res = await fetch(form.url, { method: "POST", body: data, signal: AbortSignal.timeout(15_000) });
      return yesIfRefused(await refusedOrStored(ctx, k, res), "a longer file");
    },
  },
  {
    id: "cors-config",
    capability: "PutBucketCors / GetBucketCors round trip (rules read back as written)",
    async run(ctx) {
      const { setup } = ctx;
      const rule = upgateRule(
        setup.origins ?? "*",
        requiredHeaders(setup.routes, [], setup.storage),
        setup.maxAgeSeconds,
      );
      const written = mergeRules(await getBucketCors(ctx.transport), rule);
      await putBucketCors(ctx.transport, written);
      const check = await checkCors(ctx, []);
      if (check.status !== "pass") return fromCheck(check);
      const read = await getBucketCors(ctx.transport);
      if (rulesLines(read).join("\n") === rulesLines(written).join("\n"))
        return { support: "yes", detail: check.detail };
      return sameRules(read, written)
        ? { support: "partial", detail: "the rules read back reordered (methods and headers sorted)" }
        : { support: "no", detail: "the rules read back differ from the ones written" };
    },
  },
  {
    id: "cors-preflight",
    capability: "CORS preflight (OPTIONS) allows the origin, PUT and every signed header",
    run: async (ctx) => fromCheck(await checkPreflight(ctx, [])),
  },
  {
    id: "cors-expose-etag",
    capability: "CORS on the PUT answer: `Access-Control-Expose-Headers: ETag`",
    async run(ctx) {
      const { k, body, put } = await textPut(ctx, "expose", "expose probe\n");
      const res = await put(body, { origin: PROBE_ORIGIN });
      await res.body?.cancel();
      await cleanup(ctx, k);
      const allow = res.headers.get("access-control-allow-origin");
      const expose = (res.headers.get("access-control-expose-headers") ?? "").toLowerCase();
      if (res.ok && allow && expose.split(/\s*,\s*/).includes("etag"))
        return { support: "yes", detail: `allow-origin ${allow}, expose ${expose}` };
      return {
        support: "no",
        detail: `HTTP ${res.status}, allow-origin ${allow ?? "none"}, expose "${expose}"`,
      };
    },
  },
  {
    id: "multipart",
    capability: "Multipart: presigned parts, ListParts sizes, Complete, `-N` ETag",
    async run(ctx) {
      const k = key("multipart");
      const parts = [randomBytes(5 * MiB), randomBytes(1234)];
      const uploadId = await ctx.storage.createMultipart(k, { "content-type": "application/octet-stream" });
      try {
        const done: Array<{ partNumber: number; etag: string }> = [];
        for (const [i, part] of parts.entries()) {
          const res = await putPart(ctx, k, uploadId, i + 1, part);
          if (!res.ok)
            return { support: "no", detail: `part ${i + 1} got ${describeAnswer(await s3Answer(res))}` };
          done.push({ partNumber: i + 1, etag: res.headers.get("etag") ?? "" });
          await res.body?.cancel();
        }
        const listed = await ctx.storage.listParts(k, uploadId);
        const sizes = listed.map((p) => p.size).join(",");
        const { etag } = await ctx.storage.completeMultipart(k, uploadId, done);
        const whole = Buffer.concat(parts);
        const head = await ctx.storage.head(k);
        const ok =
          sizes === parts.map((p) => p.length).join(",") && /-2"?$/.test(etag) && head?.size === whole.length;
        return ok
          ? { support: "yes", detail: `2 parts (${sizes} bytes), ETag ${etag}` }
          : { support: "no", detail: `ListParts sizes ${sizes}, ETag ${etag}, size ${head?.size}` };
      } finally {
        await ctx.storage.abortMultipart(k, uploadId).catch(() => {});
        await cleanup(ctx, k);
      }
    },
  },
  {
    id: "complete-etag",
    capability: "CompleteMultipartUpload answers with the object's ETag",
    async run(ctx) {
      const k = key("complete-etag");
      const uploadId = await ctx.storage.createMultipart(k, {});
      try {
        const part = text("one small part\n");
        const res = await putPart(ctx, k, uploadId, 1, part);
        const etag = res.headers.get("etag") ?? "";
        await res.body?.cancel();
        const doc = await ctx.transport.sendXml(
          completeMultipartUpload(ctx.setup.storage.bucket, k, uploadId, [{ partNumber: 1, etag }]),
          "CompleteMultipartUploadResult",
        );
        const answered = childText(doc, "ETag");
        return answered
          ? { support: "yes", detail: `ETag ${answered}` }
          : { support: "no", detail: "the answer's ETag element is empty (the client reads it with a HEAD)" };
      } finally {
        await ctx.storage.abortMultipart(k, uploadId).catch(() => {});
        await cleanup(ctx, k);
      }
    },
  },
  {
    id: "part-checksum",
    capability: "`x-amz-checksum-sha256` verified on UploadPart",
    run: async (ctx) => fromCheck(await checkPartChecksumEnforced(ctx)),
  },
  {
    id: "range",
    capability: "Ranged GET (206, exact bytes)",
    async run(ctx) {
      const k = key("range");
      const body = new Uint8Array(randomBytes(4096));
      await putObject(ctx, k, body);
      const got = await ctx.storage.getRange(k, 100, 199);
      const tail = await ctx.storage.getRange(k, 4000, 9999);
      await cleanup(ctx, k);
      const ok =
        Buffer.from(got).equals(Buffer.from(body.subarray(100, 200))) &&
        Buffer.from(tail).equals(Buffer.from(body.subarray(4000)));
      return ok
        ? { support: "yes", detail: "bytes 100-199 and an open-ended tail matched" }
        : { support: "no", detail: `got ${got.length} and ${tail.length} bytes, not the ones written` };
    },
  },
  {
    id: "list-v2",
    capability: "ListObjectsV2 by prefix (keys and sizes)",
    async run(ctx) {
      const prefix = key("list");
      const names = ["a", "b/c", "d"].map((n) => `${prefix}/${n}`);
      for (const [i, name] of names.entries()) {
        const body = new Uint8Array(i + 1);
        await putObject(ctx, name, body);
      }
      const listed = await ctx.storage.listObjects(`${prefix}/`);
      await cleanup(ctx, ...names);
      const seen = listed.objects.map((o) => `${o.key}:${o.size}`).join(",");
      const want = names.map((n, i) => `${n}:${i + 1}`).join(",");
      return seen === want
        ? { support: "yes", detail: `${listed.objects.length} keys, sizes right` }
        : { support: "no", detail: `listed ${seen}` };
    },
  },
  {
    id: "presigned-get-override",
    capability: "Presigned GET with `response-content-disposition` override",
    async run(ctx) {
      const k = key("get");
      const body = text("download probe\n");
      await putObject(ctx, k, body);
      const signed = await ctx.storage.presignGet(k, {
        expiresIn: 60,
        responseContentDisposition: 'attachment; filename="probe.txt"',
      });
      const res = await fetch(signed.url);
      const got = Buffer.from(await res.arrayBuffer());
      await cleanup(ctx, k);
      const disposition = res.headers.get("content-disposition");
      return res.status === 200 &&
        got.equals(Buffer.from(body)) &&
        disposition === 'attachment; filename="probe.txt"'
        ? { support: "yes", detail: "bytes and Content-Disposition as signed" }
        : { support: "no", detail: `HTTP ${res.status}, Content-Disposition ${disposition}` };
    },
  },
  {
    id: "copy",
    capability: "CopyObject (the sweeper's quarantine move)",
    async run(ctx) {
      const from = key("copy-from");
      const to = key("copy-to");
      const body = text("copy probe\n");
      await putObject(ctx, from, body);
      await ctx.storage.copy(from, to);
      const got = await ctx.storage.getRange(to, 0, 100);
      await cleanup(ctx, from, to);
      return Buffer.from(got).equals(Buffer.from(body))
        ? { support: "yes", detail: "the copy has the same bytes" }
        : { support: "no", detail: "the copy differs" };
    },
  },
  {
    id: "copy-if-match",
    capability: "CopyObject `x-amz-copy-source-if-match` (another ETag gets 412)",
    async run(ctx) {
      const from = key("copy-if-from");
      const to = key("copy-if-to");
      const body = text("copy precondition probe\n");
      await putObject(ctx, from, body);
      try {
        await ctx.storage.copy(from, to, { ifMatch: `"${"0".repeat(32)}"` });
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).message;
        await cleanup(ctx, from, to);
        return /PreconditionFailed|412/.test(String(code))
          ? { support: "yes", detail: "a copy naming another ETag got 412 PreconditionFailed" }
          : {
              support: "no",
              detail: `a copy naming another ETag failed otherwise: ${String(code).split("\n")[0]}`,
            };
      }
      await cleanup(ctx, from, to);
      return {
        support: "no",
        detail: "a copy naming another ETag was made: this storage ignores x-amz-copy-source-if-match",
      };
    },
  },
];

/** Runs every probe in order; a probe that throws counts as "no", with its error. */
export async function measure(ctx: DoctorContext): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const probe of PROBES) {
    try {
      out.push({ id: probe.id, ...(await probe.run(ctx)) });
    } catch (err) {
      out.push({ id: probe.id, support: "no", detail: `failed: ${(err as Error).message.split("\n")[0]}` });
    }
  }
  return out;
}
