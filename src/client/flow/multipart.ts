import type { ChecksumFields, PartInstruction } from "../../core/protocol.js";
import { isExpired, UploadError } from "../errors.js";
import { readFailure } from "../read-error.js";
import { missingEtagError, storageError } from "../storage/classify.js";
import type { TransportRequest } from "../transport/types.js";
import type { FileJob, FlowContext } from "./context.js";
import { PartHashes } from "./part-hashes.js";
import { EXPIRY_MARGIN_MS, PartSigner, type SignedPart } from "./part-signer.js";
import { type MultipartPlan, partStart, recordFromPlan } from "./plan.js";
import { runPool } from "./pool.js";
import { retrying } from "./retrying.js";

/** A part for complete: its ETag, and its checksum in the plan's algorithm when hashed. */
export type SentPart = { partNumber: number; etag: string } & ChecksumFields;

/** Where part URLs come from: signed with their checksum (checksums on), or the create answer's. */
interface UrlSource {
  url(n: number, fresh: boolean): Promise<SignedPart>;
}

async function savePlan(ctx: FlowContext, job: FileJob, plan: MultipartPlan): Promise<void> {
  if (job.resumeKey === undefined) return;
  try {
    await ctx.state.put(recordFromPlan(plan, job.resumeKey, ctx.route));
  } catch {
    // Resume is a convenience: a full or unavailable store must not fail the upload.
  }
}

/** PUTs one part with retries; returns its ETag. */
async function putPart(
  ctx: FlowContext,
  job: FileJob,
  plan: MultipartPlan,
  n: number,
  source: UrlSource,
): Promise<string> {
  const size = plan.sizes[n - 1]!;
  const start = partStart(plan, n);
  const body = job.entry.blob.slice(start, start + size);
  return retrying(ctx, job, async ({ lastError }) => {
    const { instruction } = await source.url(n, lastError !== undefined && isExpired(lastError));
    const request: TransportRequest = {
      method: "PUT",
      url: instruction.url,
      headers: instruction.headers,
      body,
      size,
      signal: ctx.control.requestSignal(),
      onProgress: (loaded) => job.tracker.report(n, Math.min(loaded, size)),
    };
    if (ctx.stallTimeoutMs !== undefined) request.stallTimeoutMs = ctx.stallTimeoutMs;
    const response = await ctx.transport.send(request);
    const error = storageError(response);
    if (error) throw error;
    const etag = response.header("etag");
    if (!etag) throw missingEtagError();
    return etag;
  });
}

/** The create (or resume) answer's URLs, which bind no checksum; re-signed one part at a time. */
function unsignedUrls(ctx: FlowContext, plan: MultipartPlan): UrlSource {
  const known = new Map<number, SignedPart>();
  for (const [n, instruction] of plan.urls)
    known.set(n, { instruction, expiresAt: Date.parse(plan.expiresAt) });
  return {
    async url(n, fresh) {
      const have = known.get(n);
      if (have && !fresh && have.expiresAt - Date.now() >= EXPIRY_MARGIN_MS) return have;
      const response = await ctx.gateway.parts(plan.id, { partNumbers: [n] });
      const instruction: PartInstruction | undefined = response.parts?.find((p) => p.partNumber === n);
      if (!instruction) {
        throw new UploadError("GATEWAY", `the upload server returned no URL for part ${n}`, {
          retryable: true,
        });
      }
      const signed = { instruction, expiresAt: Date.parse(response.expiresAt) };
      known.set(n, signed);
      return signed;
    },
  };
}

/**
 * A sha256 route's multipart upload is COMPOSITE SHA-256: storage refuses a part that carries no
 * SHA-256 of its own, so with hashing off it cannot be sent. Said before a byte goes, in the
 * client's words rather than storage's "Checksum Type mismatch".
 */
function unhashedSha256PartsError(): UploadError {
  return new UploadError(
    "CHECKSUM",
    "a multipart upload on a sha256 route needs each part's SHA-256, which checksum: false turns off: leave checksum on, or use a route with a CRC checksum",
  );
}

/**
 * Resume: a part the gateway says storage holds is kept only when its bytes here hash to the
 * checksum storage verified it against (or, on storage that keeps none, to the one this client
 * recorded when it sent the part). Anything else is sent again, replacing it.
 */
async function keepStoredParts(plan: MultipartPlan, hashes: PartHashes): Promise<void> {
  for (const [n, stored] of [...plan.candidates].sort((a, b) => a[0] - b[0])) {
    const local = await hashes.get(n);
    const expected = stored.checksum ?? stored.recorded;
    if (expected === local) plan.etags.set(n, stored.etag);
  }
}

/**
 * Uploads every part storage does not hold yet, `ctx.concurrency` at a time, saving the plan, the
 * ETags and the part hashes to the state store after each part. With checksums on, parts are
 * hashed in order ahead of the uploads (PartHashes) and their URLs, each binding its part's
 * checksum, are signed a window at a time (PartSigner). Returns every part for complete, in order,
 * with its checksum (in the plan's algorithm) when hashed.
 */
export async function sendMultipart(
  ctx: FlowContext,
  job: FileJob,
  plan: MultipartPlan,
): Promise<SentPart[]> {
  const count = plan.sizes.length;
  if (!ctx.partChecksums && plan.algorithm === "sha256") throw unhashedSha256PartsError();
  let hashes: PartHashes | undefined;
  if (ctx.partChecksums) {
    hashes = new PartHashes(ctx, job.entry.blob, plan).start();
    for (let n = 1; n <= count; n++) {
      hashes.get(n).then(
        (checksum) => plan.checksums.set(n, checksum),
        () => {},
      );
    }
    await keepStoredParts(plan, hashes).catch((err) => {
      throw readFailure(err);
    });
  } else {
    for (const [n, stored] of plan.candidates) plan.etags.set(n, stored.etag);
  }
  const missing: number[] = [];
  for (let n = 1; n <= count; n++) {
    if (plan.etags.has(n)) job.tracker.preset(n, plan.sizes[n - 1]!);
    else missing.push(n);
  }
  await savePlan(ctx, job, plan);
  job.tracker.setPhase("uploading");

  const started = new Set<number>();
  let source: UrlSource;
  if (hashes) {
    const partHashes = hashes;
    const signer = new PartSigner(
      ctx,
      plan,
      (n) => plan.checksums.get(n),
      () => missing.filter((n) => !started.has(n)),
    );
    source = {
      async url(n, fresh) {
        const checksum = await partHashes.get(n).catch((err) => {
          throw readFailure(err);
        });
        return signer.get(n, checksum, fresh);
      },
    };
  } else {
    source = unsignedUrls(ctx, plan);
  }
  // A part that fails for good lets the others in flight finish (they count for a resume),
  // unless nothing can be kept: then everything stops at once.
  const onFailure = (err: unknown) => {
    if (!(err instanceof UploadError && err.retryable)) ctx.control.abort();
  };
  await runPool(
    missing,
    ctx.concurrency,
    async (n) => {
      started.add(n);
      const etag = await putPart(ctx, job, plan, n, source);
      job.tracker.report(n, plan.sizes[n - 1]!);
      plan.etags.set(n, etag);
      await savePlan(ctx, job, plan);
    },
    { settle: true, onFailure },
  );
  const checksums = hashes ? await Promise.all(plan.sizes.map((_, i) => hashes.get(i + 1))) : undefined;
  return [...plan.etags]
    .sort((a, b) => a[0] - b[0])
    .map(([partNumber, etag]) => ({
      partNumber,
      etag,
      ...(checksums ? { [plan.algorithm]: checksums[partNumber - 1]! } : {}),
    }));
}
