import { StorageError } from "../../server/s3/types.js";
import { describeStorageFailure } from "../storage-failure.js";
import { probeKey } from "./probe-checks.js";
import { sendable } from "./s3-answer.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const ID = "multipart-once";
const NAME = "multipart write-once";

/**
 * The gateway completes multipart uploads with if-none-match: *, so a finished upload cannot be
 * replaced by another completion at its key. Ceph RGW 16 ignores the header and replaces the object.
 */
export async function checkMultipartWriteOnce(ctx: DoctorContext): Promise<CheckResult> {
  const key = probeKey("multipart-once");
  const first = new TextEncoder().encode("upgate doctor: the object already at the key\n");
  const part = new TextEncoder().encode("upgate doctor: a multipart upload completed over it\n");
  let uploadId: string | undefined;
  try {
    const put = await ctx.storage.presignPut(key, { "content-length": String(first.length) }, 60);
    const stored = await fetch(put.url, { method: "PUT", headers: sendable(put.headers), body: first });
    await stored.body?.cancel();
    if (!stored.ok) throw new Error(`the first PUT got HTTP ${stored.status}`);
    uploadId = await ctx.storage.createMultipart(key, {});
    const signed = await ctx.storage.presignPart(
      key,
      uploadId,
      1,
      { "content-length": String(part.length) },
      60,
    );
    const res = await fetch(signed.url, { method: "PUT", headers: sendable(signed.headers), body: part });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`UploadPart got HTTP ${res.status}`);
    const etag = res.headers.get("etag") ?? "";
    try {
      await ctx.storage.completeMultipart(key, uploadId, [{ partNumber: 1, etag }], { ifNoneMatch: true });
    } catch (err) {
      if (err instanceof StorageError && err.status === 412) {
        return result(ID, NAME, "pass", "completing over an existing object got 412 PreconditionFailed");
      }
      throw err;
    }
    uploadId = undefined;
    return result(
      ID,
      NAME,
      "warn",
      "a multipart upload completed with if-none-match: * replaced an existing object: this storage ignores the header on Complete",
      "only the gateway completes uploads (once per ledger row, at random keys), so this matters only if other writers share the bucket: give them another bucket or prefix",
    );
  } catch (err) {
    return result(
      ID,
      NAME,
      "fail",
      `the multipart probe failed: ${describeStorageFailure(err)}`,
      "grant s3:PutObject and s3:AbortMultipartUpload",
    );
  } finally {
    if (uploadId) await ctx.storage.abortMultipart(key, uploadId).catch(() => {});
    await ctx.storage.delete(key).catch(() => {});
  }
}
