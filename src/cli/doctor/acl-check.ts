import { getObject } from "../../core/s3/requests.js";
import { requestUrl } from "../../core/s3/requests-url.js";
import { upgateRun } from "../invocation.js";
import { describeStorageFailure } from "../storage-failure.js";
import { gatewayStylePut, probeKey } from "./probe-checks.js";
import { describeAnswer, s3Answer } from "./s3-answer.js";
import { type CheckResult, type DoctorContext, result } from "./types.js";

const ID = "acl";
const NAME = "unsigned ACL";
const PUBLIC_READ = { "x-amz-acl": "public-read" };

/** Whether a GET without credentials reads the object (status only; the body is dropped). */
async function anonymouslyReadable(ctx: DoctorContext, key: string): Promise<boolean> {
  const { storage } = ctx.setup;
  const url = requestUrl(
    { endpoint: storage.endpoint, forcePathStyle: storage.forcePathStyle },
    getObject(storage.bucket, key),
  );
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  await res.body?.cancel();
  return res.ok;
}

/**
 * A gateway-style PUT URL sent with an added, unsigned `x-amz-acl: public-read`: AWS (and the
 * embedded store) refuse unsigned x-amz-* headers, MinIO and R2 keep no object ACLs, but Ceph RGW
 * stores the ACL, and the object is then readable by anyone straight from the bucket, past the
 * gateway's downloads. storage.acl closes that: the URL signs x-amz-acl, so any other value is a
 * signature mismatch. A control object without the added header tells a public bucket (readable
 * whatever the ACL) from an ACL that took effect.
 */
export async function checkUnsignedAcl(ctx: DoctorContext): Promise<CheckResult> {
  const key = probeKey("acl");
  const control = probeKey("acl-control");
  const configured = ctx.storage.config.acl;
  try {
    const res = await putWith(ctx, key, PUBLIC_READ);
    if (!res.ok) {
      return result(
        ID,
        NAME,
        "pass",
        `a PUT with an added unsigned x-amz-acl: public-read was refused (${describeAnswer(await s3Answer(res))})`,
      );
    }
    await res.body?.cancel();
    if (!(await anonymouslyReadable(ctx, key))) {
      return result(
        ID,
        NAME,
        "pass",
        "a PUT with an added unsigned x-amz-acl: public-read was stored, but the object is not readable without credentials (this storage keeps no object ACLs)",
      );
    }
    const plain = await putWith(ctx, control, {});
    await plain.body?.cancel();
    if (plain.ok && (await anonymouslyReadable(ctx, control))) {
      return result(
        ID,
        NAME,
        "warn",
        "objects in the bucket are readable without credentials, whatever their ACL: anyone can read every upload straight from the bucket, past the gateway's downloads",
        "make the bucket private (remove its public bucket policy or ACL): the gateway serves downloads with signed URLs",
      );
    }
    if (configured !== undefined) {
      return result(
        ID,
        NAME,
        "fail",
        `a PUT signing x-amz-acl: ${configured} and sending x-amz-acl: public-read was stored, and the object is readable without credentials: this storage does not check the signed ACL`,
        "put a proxy in front of the storage that drops x-amz-acl and x-amz-grant-* headers, or use other storage",
      );
    }
    return result(
      ID,
      NAME,
      "warn",
      "a PUT with an added unsigned x-amz-acl: public-read was stored, and the object is readable without credentials: any uploader can make its upload public, past the gateway's downloads",
      `set storage.acl: "private" in the config (every upload URL then signs x-amz-acl, and storage refuses any other), then run ${upgateRun("cors apply")} with credentials allowed to set bucket CORS`,
    );
  } catch (err) {
    return result(
      ID,
      NAME,
      "fail",
      `the ACL probe failed: ${describeStorageFailure(err)}`,
      "check the endpoint",
    );
  } finally {
    await Promise.all([key, control].map((k) => ctx.storage.delete(k).catch(() => {})));
  }
}

/** A gateway-style PUT of a probe object, sent with `unsigned` headers the URL does not sign. */
async function putWith(ctx: DoctorContext, key: string, unsigned: Record<string, string>): Promise<Response> {
  const send = await gatewayStylePut(ctx, key, new TextEncoder().encode("upgate doctor ACL probe\n"));
  return send(unsigned);
}
