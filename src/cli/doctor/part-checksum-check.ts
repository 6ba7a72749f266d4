import { createHash } from "node:crypto";
import { describeStorageFailure } from "../storage-failure.js";
import { probeKey } from "./probe-checks.js";
import { describeAnswer, s3Answer, sendable } from "./s3-answer.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const ID = "part-checksum";
const NAME = "part checksum enforcement";

/**
 * A multipart part whose signed x-amz-checksum-sha256 is not its body's (the gateway signs each
 * part's SHA-256 when the client declares it): storage must refuse it. Ceph RGW 16 stores it.
 */
export async function checkPartChecksumEnforced(ctx: DoctorContext): Promise<CheckResult> {
  const key = probeKey("part-checksum");
  const body = new TextEncoder().encode("upgate doctor: this part does not match its signed checksum\n");
  const wrong = createHash("sha256").update("other bytes").digest("base64");
  let uploadId: string | undefined;
  try {
    uploadId = await ctx.storage.createMultipart(key, { "content-type": "text/plain" });
    const signed = await ctx.storage.presignPart(
      key,
      uploadId,
      1,
      { "content-length": String(body.length), "x-amz-checksum-sha256": wrong },
      60,
    );
    const res = await fetch(signed.url, {
      method: "PUT",
      headers: sendable(signed.headers),
      body,
      signal: AbortSignal.timeout(15_000),
    });
    const answer = await s3Answer(res);
    if (res.status === 400) {
      return result(
        ID,
        NAME,
        "pass",
        `a part with a wrong x-amz-checksum-sha256 was refused (${describeAnswer(answer)})`,
      );
    }
    if (res.ok) {
      return result(
        ID,
        NAME,
        "warn",
        "a part with a wrong x-amz-checksum-sha256 was stored: this backend does not verify part checksums",
        "keep verification at completion on: it re-hashes each part's byte range of the object",
      );
    }
    return result(
      ID,
      NAME,
      "fail",
      `the part checksum probe got ${describeAnswer(answer)}`,
      "multipart routes need UploadPart with x-amz-checksum-sha256",
    );
  } catch (err) {
    return result(
      ID,
      NAME,
      "fail",
      `the part checksum probe failed: ${describeStorageFailure(err)}`,
      "grant s3:PutObject and s3:AbortMultipartUpload",
    );
  } finally {
    if (uploadId) await ctx.storage.abortMultipart(key, uploadId).catch(() => {});
  }
}
