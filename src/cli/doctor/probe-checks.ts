import { createHash, randomBytes } from "node:crypto";
import { aclHeader } from "../../server/uploads/canned-acl.js";
import { describeStorageFailure } from "../storage-failure.js";
import { describeAnswer, s3Answer, sendable } from "./s3-answer.js";
import { type CheckResult, type DoctorContext, PROBE_PREFIX, result } from "./types.js";

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("base64");
export const probeKey = (what: string) => `${PROBE_PREFIX}${what}-${randomBytes(8).toString("hex")}.txt`;

/** A presigned PUT signed exactly as the gateway signs an upload (type, length, checksum, write-once, uploader, storage.acl). */
export async function gatewayStylePut(
  ctx: DoctorContext,
  key: string,
  body: Uint8Array<ArrayBuffer>,
  checksumOf: Uint8Array = body,
) {
  const signed = await ctx.storage.presignPut(
    key,
    {
      "content-type": "text/plain",
      "content-length": String(body.length),
      "x-amz-checksum-sha256": sha256(checksumOf),
      "if-none-match": "*",
      "x-amz-meta-upgate-user": "upgate-doctor",
      "x-amz-meta-upgate-upload": "probe",
      ...aclHeader(ctx.storage.config),
    },
    60,
  );
  // `unsigned`: headers sent beside the signed ones, as an uploader holding the URL could.
  return (unsigned: Record<string, string> = {}) =>
    fetch(signed.url, {
      method: "PUT",
      headers: { ...sendable(signed.headers), ...unsigned },
      body,
      signal: AbortSignal.timeout(15_000),
    });
}

const WRITE = { id: "write", name: "write, read, delete" } as const;
const ONCE = { id: "write-once", name: "write-once (if-none-match)" } as const;

/** Puts a probe object with a gateway-style URL, replays the URL, reads the object back and deletes it. */
export async function checkWriteReadDelete(ctx: DoctorContext): Promise<CheckResult[]> {
  const key = probeKey("probe");
  const body = new TextEncoder().encode(`upgate doctor probe ${new Date().toISOString()}\n`);
  const fail = (step: string, detail: string, fix: string) => [
    result(WRITE.id, WRITE.name, "fail", `${step} of ${key}: ${detail}`, fix),
  ];
  let once: CheckResult;
  try {
    const put = await gatewayStylePut(ctx, key, body);
    const first = await put();
    if (first.status !== 200) {
      return fail(
        "presigned PUT",
        describeAnswer(await s3Answer(first)),
        "grant s3:PutObject on the bucket's objects to these credentials",
      );
    }
    await first.body?.cancel();
    const replay = await put();
    const replayed = await s3Answer(replay);
    once =
      replay.status === 412
        ? result(ONCE.id, ONCE.name, "pass", "a second PUT with the same URL got 412")
        : result(
            ONCE.id,
            ONCE.name,
            "warn",
            `a second PUT with the same URL got ${describeAnswer(replayed)}: this storage ignores if-none-match`,
            "an upload URL can overwrite its own object until it expires: keep route expiresIn short",
          );
  } catch (err) {
    return fail(
      "presigned PUT",
      describeStorageFailure(err),
      "check that the endpoint accepts presigned PUTs",
    );
  }
  try {
    const head = await ctx.storage.head(key);
    const bytes = await ctx.storage.getRange(key, 0, body.length - 1);
    if (!head || head.size !== body.length || Buffer.compare(Buffer.from(bytes), Buffer.from(body)) !== 0) {
      await ctx.storage.delete(key).catch(() => {});
      return fail(
        "read",
        "the object read back is not the one written",
        "check the endpoint and bucket: another service may answer",
      );
    }
  } catch (err) {
    await ctx.storage.delete(key).catch(() => {});
    return fail(
      "HEAD and GET",
      describeStorageFailure(err),
      "grant s3:GetObject on the bucket's objects (completion reads every upload)",
    );
  }
  try {
    await ctx.storage.delete(key);
    if (await ctx.storage.head(key)) throw new Error("the object is still there after DELETE");
  } catch (err) {
    return fail(
      "DELETE",
      describeStorageFailure(err),
      "grant s3:DeleteObject (rejected uploads and orphans are deleted)",
    );
  }
  return [result(WRITE.id, WRITE.name, "pass", `PUT, HEAD, GET and DELETE of ${PROBE_PREFIX}… worked`), once];
}

const SUM = { id: "checksum", name: "checksum enforcement" } as const;

/** A PUT whose signed x-amz-checksum-sha256 is not the body's: storage must refuse it. */
export async function checkChecksumEnforced(ctx: DoctorContext): Promise<CheckResult> {
  const key = probeKey("checksum");
  const body = new TextEncoder().encode("upgate doctor: these bytes do not match the signed checksum\n");
  try {
    const res = await (await gatewayStylePut(ctx, key, body, new TextEncoder().encode("other bytes")))();
    const answer = await s3Answer(res);
    if (res.status === 400) {
      return result(
        SUM.id,
        SUM.name,
        "pass",
        `a PUT with a wrong x-amz-checksum-sha256 was refused (${describeAnswer(answer)})`,
      );
    }
    if (res.ok) {
      await ctx.storage.delete(key).catch(() => {});
      return result(
        SUM.id,
        SUM.name,
        "warn",
        "a PUT with a wrong x-amz-checksum-sha256 was stored: this backend does not verify checksums",
        "verification at completion (which re-hashes the object) is the only integrity guard here: keep it on",
      );
    }
    return result(
      SUM.id,
      SUM.name,
      "fail",
      `the checksum probe got ${describeAnswer(answer)}`,
      "the storage must accept x-amz-checksum-sha256 headers on PUT",
    );
  } catch (err) {
    return result(
      SUM.id,
      SUM.name,
      "fail",
      `the checksum probe failed: ${describeStorageFailure(err)}`,
      "check the endpoint",
    );
  }
}
