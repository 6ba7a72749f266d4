import { UploadError } from "../errors.js";
import type { ResumeRecord } from "../state/types.js";
import type { FileJob, FlowContext } from "./context.js";
import type { MultipartPlan } from "./plan.js";
import { retrying } from "./retrying.js";

/** Gateway answers that mean the saved upload cannot be continued: start over. */
function isGone(err: unknown): boolean {
  return err instanceof UploadError && err.code === "GATEWAY" && [404, 409, 410].includes(err.status ?? 0);
}

function matches(record: ResumeRecord, ctx: FlowContext, job: FileJob): boolean {
  const total = record.sizes.reduce((sum, size) => sum + size, 0);
  return record.route === ctx.route && total === job.entry.size && record.sizes.length > 0;
}

/**
 * Continues an unfinished multipart upload of this file, if the state store has one: asks the
 * gateway which parts storage holds (local ETags are only a hint) and returns the plan with those
 * parts as candidates (sendMultipart keeps each only if the local part hashes the same).
 * Undefined when there is nothing to resume or the gateway says the upload is gone
 * (the stale record is removed).
 */
export async function resumePlan(ctx: FlowContext, job: FileJob): Promise<MultipartPlan | undefined> {
  if (job.resumeKey === undefined) return undefined;
  let record: ResumeRecord | undefined;
  try {
    record = await ctx.state.get(job.resumeKey);
  } catch {
    return undefined;
  }
  if (!record || !matches(record, ctx, job)) return undefined;
  const saved = record;
  // The answer lists what storage holds. On a CRC upload it also signs one part missing locally (or
  // the last one); a sha256 upload's part URL must bind the part's SHA-256, not hashed yet: none then.
  let probe = saved.sizes.length;
  for (let n = 1; n <= saved.sizes.length; n++) {
    if (saved.etags[String(n)] === undefined) {
      probe = n;
      break;
    }
  }
  if (saved.capability !== undefined && ctx.gateway.secretsOf(saved.id) === undefined) {
    ctx.gateway.remember(saved.id, { capability: saved.capability });
  }
  // The upload keeps the algorithm it was created with, whatever the route says today.
  const algorithm = saved.algorithm ?? "sha256";
  const partNumbers = algorithm === "sha256" ? [] : [probe];
  let response: Awaited<ReturnType<FlowContext["gateway"]["parts"]>>;
  try {
    response = await retrying(ctx, job, () => ctx.gateway.parts(saved.id, { partNumbers }));
  } catch (err) {
    if (!isGone(err)) throw err;
    await ctx.state.delete(saved.key).catch(() => {});
    return undefined;
  }
  const candidates: MultipartPlan["candidates"] = new Map();
  for (const part of response.uploaded) {
    if (saved.sizes[part.partNumber - 1] !== part.size) continue;
    const recorded = (algorithm === "sha256" ? saved.sha256s : saved.partCrcs)?.[String(part.partNumber)];
    const stored = part[algorithm];
    candidates.set(part.partNumber, {
      etag: part.etag,
      ...(stored ? { checksum: stored } : {}),
      ...(recorded ? { recorded } : {}),
    });
  }
  return {
    id: saved.id,
    uploadId: saved.uploadId,
    objectKey: saved.objectKey,
    partSize: saved.partSize,
    sizes: saved.sizes.slice(),
    urls: new Map(response.parts.map((p) => [p.partNumber, p])),
    expiresAt: response.expiresAt,
    etags: new Map(),
    algorithm,
    checksums: new Map(),
    candidates,
    ...(saved.capability !== undefined && { capability: saved.capability }),
  };
}
