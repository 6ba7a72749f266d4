import { randomBytes } from "node:crypto";
import { checksumHeader } from "../../core/policy/checksum-algorithm.js";
import type { RouteChecksumAlgorithm } from "../../core/protocol.js";
import { multipartChecksumHeaders } from "../../server/uploads/checksum-headers.js";
import { completeAssembly } from "../../server/uploads/complete/complete-assembly.js";
import { newDigest } from "../../server/uploads/verify/stream-digests.js";
import { describeStorageFailure } from "../storage-failure.js";
import { sendable } from "./s3-answer.js";
import { type CheckResult, type DoctorContext, PROBE_PREFIX, result } from "./types.js";

const KEPT = { id: "checksum-kept", name: "checksums kept (what completion reads)" } as const;

const digest = async (algorithm: RouteChecksumAlgorithm, bytes: Uint8Array) => {
  const d = newDigest(algorithm);
  d.update(bytes);
  return d.base64();
};

type Probe = { kept: "yes" | "no" | "echoed"; what: string };

/** PUTs `body` signing `declared` as its checksum; what HEAD (checksum mode on) returns for it then. */
async function putProbe(
  ctx: DoctorContext,
  algorithm: RouteChecksumAlgorithm,
  body: Uint8Array<ArrayBuffer>,
  declared: string,
): Promise<{ status: number; stored?: string }> {
  const key = `${PROBE_PREFIX}kept-${algorithm}-${randomBytes(8).toString("hex")}.bin`;
  const signed = await ctx.storage.presignPut(
    key,
    { "content-length": String(body.length), [checksumHeader(algorithm)]: declared },
    60,
  );
  const res = await fetch(signed.url, {
    method: "PUT",
    headers: sendable(signed.headers),
    body,
    signal: AbortSignal.timeout(15_000),
  });
  await res.arrayBuffer().catch(() => {});
  if (!res.ok) return { status: res.status };
  try {
    const head = await ctx.storage.head(key);
    return { status: res.status, ...(head?.checksums[algorithm] && { stored: head.checksums[algorithm] }) };
  } finally {
    await ctx.storage.delete(key).catch(() => {});
  }
}

/** A one-part multipart upload created as the gateway creates them; what HEAD returns once complete. */
async function multipartProbe(
  ctx: DoctorContext,
  algorithm: RouteChecksumAlgorithm,
  body: Uint8Array<ArrayBuffer>,
): Promise<string | undefined> {
  const key = `${PROBE_PREFIX}kept-mp-${algorithm}-${randomBytes(8).toString("hex")}.bin`;
  const uploadId = await ctx.storage.createMultipart(key, multipartChecksumHeaders(algorithm));
  try {
    const value = await digest(algorithm, body);
    const signed = await ctx.storage.presignPart(
      key,
      uploadId,
      1,
      { "content-length": String(body.length), [checksumHeader(algorithm)]: value },
      60,
    );
    const res = await fetch(signed.url, { method: "PUT", headers: sendable(signed.headers), body });
    await res.arrayBuffer().catch(() => {});
    if (!res.ok) return undefined;
    const parts = await ctx.storage.listParts(key, uploadId);
    const assembly = completeAssembly(algorithm, parts, algorithm === "sha256" ? undefined : value);
    await ctx.storage.completeMultipart(key, uploadId, assembly.parts, { headers: assembly.headers });
    return (await ctx.storage.head(key))?.checksums[algorithm];
  } finally {
    await ctx.storage.abortMultipart(key, uploadId).catch(() => {});
    await ctx.storage.delete(key).catch(() => {});
  }
}

async function probe(ctx: DoctorContext, algorithm: RouteChecksumAlgorithm): Promise<Probe> {
  const body = new TextEncoder().encode(`upgate doctor: does storage keep the ${algorithm}?\n`);
  const right = await digest(algorithm, body);
  const wrong = await digest(algorithm, new TextEncoder().encode("other bytes"));
  const honest = await putProbe(ctx, algorithm, body, right);
  if (honest.status >= 300)
    return { kept: "no", what: `a PUT with its ${algorithm} was refused (${honest.status})` };
  const lie = await putProbe(ctx, algorithm, body, wrong);
  // Storage that keeps whatever it is told would make a HEAD comparison worthless.
  if (lie.status < 300 && lie.stored === wrong)
    return { kept: "echoed", what: `a wrong ${algorithm} was stored and returned` };
  if (honest.stored !== right) return { kept: "no", what: `HEAD returns no ${algorithm}` };
  const whole = await multipartProbe(ctx, algorithm, body);
  const expected = algorithm === "sha256" ? /-1$/ : new RegExp(`^${right.replace(/[+/=]/g, "\\$&")}$`);
  if (!whole || !expected.test(whole)) {
    return { kept: "no", what: `a PUT's ${algorithm} is kept, a multipart upload's is not` };
  }
  return { kept: "yes", what: `${algorithm}: kept for PUTs and multipart uploads` };
}

/**
 * Whether storage keeps the checksums of the algorithms the routes use, so completion compares what
 * HEAD returns (reading only the first 4 KiB, to sniff the type), or keeps none (Ceph RGW 16), so
 * completion streams and hashes every object. Storage that returns a checksum it did not check is
 * a failure: HEAD's value would prove nothing.
 */
export async function checkChecksumsKept(ctx: DoctorContext): Promise<CheckResult> {
  const algorithms = [...new Set([...ctx.setup.routes.values()].map((r) => r.policy.checksumAlgorithm))];
  if (algorithms.length === 0) algorithms.push("sha256");
  try {
    const probes = await Promise.all(algorithms.map((a) => probe(ctx, a)));
    const echoed = probes.find((p) => p.kept === "echoed");
    if (echoed) {
      return result(
        KEPT.id,
        KEPT.name,
        "fail",
        `${echoed.what}: this storage keeps checksums it did not verify`,
        "use a backend that verifies x-amz-checksum-* (S3, R2, MinIO, Ceph 19+), or one that keeps none",
      );
    }
    const missing = probes.filter((p) => p.kept === "no");
    if (missing.length > 0) {
      return result(
        KEPT.id,
        KEPT.name,
        "warn",
        `${missing.map((p) => p.what).join("; ")}: completion streams and hashes every such object (a 5 GB upload reads 5 GB)`,
        "fine for small files; for big ones use a backend that keeps checksums (S3, R2, MinIO, Ceph 19+)",
      );
    }
    return result(
      KEPT.id,
      KEPT.name,
      "pass",
      `${probes.map((p) => p.what).join("; ")}: completion reads only the first 4 KiB of each object`,
    );
  } catch (err) {
    return result(
      KEPT.id,
      KEPT.name,
      "fail",
      `the probe failed: ${describeStorageFailure(err)}`,
      "check the endpoint",
    );
  }
}
