import type { PartInstruction } from "../../core/protocol.js";
import { isExpired, UploadError } from "../errors.js";
import { hashPart } from "../hash/hash-part.js";
import { readFailure } from "../read-error.js";
import { missingEtagError, storageError } from "../storage/classify.js";
import type { TransportRequest } from "../transport/types.js";
import type { FileJob, FlowContext } from "./context.js";
import { type MultipartPlan, partStart, recordFromPlan } from "./plan.js";
import { runPool } from "./pool.js";
import { retrying } from "./retrying.js";

/** URLs this close to expiry are re-signed before use rather than tried and refused. */
const EXPIRY_MARGIN_MS = 30_000;

interface SignedPart {
  instruction: PartInstruction;
  expiresAt: number;
}

/** Fresh URL for one part, binding its SHA-256 when given (POST /v1/uploads/:id/parts). */
async function signPart(
  ctx: FlowContext,
  plan: MultipartPlan,
  n: number,
  sha256?: string,
): Promise<SignedPart> {
  const response = await ctx.gateway.parts(plan.id, {
    partNumbers: [n],
    ...(sha256 === undefined ? {} : { sha256: { [String(n)]: sha256 } }),
  });
  const instruction = response.parts.find((p) => p.partNumber === n);
  if (!instruction) {
    throw new UploadError("GATEWAY", `the upload server returned no URL for part ${n}`, { retryable: true });
  }
  return { instruction, expiresAt: Date.parse(response.expiresAt) };
}

async function savePlan(ctx: FlowContext, job: FileJob, plan: MultipartPlan): Promise<void> {
  if (job.resumeKey === undefined) return;
  try {
    await ctx.state.put(recordFromPlan(plan, job.resumeKey, ctx.route));
  } catch {
    // Resume is a convenience: a full or unavailable store must not fail the upload.
  }
}

/** Uploads one part (hash, sign, PUT, retry); returns its ETag. */
async function uploadPart(ctx: FlowContext, job: FileJob, plan: MultipartPlan, n: number): Promise<string> {
  const size = plan.sizes[n - 1]!;
  const start = partStart(plan, n);
  const body = job.entry.blob.slice(start, start + size);
  let sha256: string | undefined;
  if (ctx.partChecksums) {
    await ctx.control.gate();
    sha256 = await hashPart(body, ctx.control.signal).catch((err) => {
      throw readFailure(err);
    });
  }
  const preSigned = sha256 === undefined ? plan.urls.get(n) : undefined;
  let signed: SignedPart | undefined = preSigned && {
    instruction: preSigned,
    expiresAt: Date.parse(plan.expiresAt),
  };
  return retrying(ctx, job, async ({ lastError }) => {
    const stale = !signed || signed.expiresAt - Date.now() < EXPIRY_MARGIN_MS;
    if (stale || (lastError && isExpired(lastError))) signed = await signPart(ctx, plan, n, sha256);
    const { instruction } = signed!;
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

/**
 * Uploads every part storage does not hold yet, `ctx.concurrency` at a time, saving the plan and
 * ETags to the state store after each part. Returns all parts for complete, in order.
 */
export async function sendMultipart(
  ctx: FlowContext,
  job: FileJob,
  plan: MultipartPlan,
): Promise<Array<{ partNumber: number; etag: string }>> {
  const missing: number[] = [];
  for (let n = 1; n <= plan.sizes.length; n++) {
    if (plan.etags.has(n)) job.tracker.preset(n, plan.sizes[n - 1]!);
    else missing.push(n);
  }
  await savePlan(ctx, job, plan);
  job.tracker.setPhase("uploading");
  // A part that fails for good lets the others in flight finish (they count for a resume),
  // unless nothing can be kept: then everything stops at once.
  const onFailure = (err: unknown) => {
    if (!(err instanceof UploadError && err.retryable)) ctx.control.abort();
  };
  await runPool(
    missing,
    ctx.concurrency,
    async (n) => {
      const etag = await uploadPart(ctx, job, plan, n);
      job.tracker.report(n, plan.sizes[n - 1]!);
      plan.etags.set(n, etag);
      await savePlan(ctx, job, plan);
    },
    { settle: true, onFailure },
  );
  return [...plan.etags].sort((a, b) => a[0] - b[0]).map(([partNumber, etag]) => ({ partNumber, etag }));
}
