import type { FileDeclaration, UploadInstruction } from "../../core/protocol.js";
import { UploadError, withFile } from "../errors.js";
import { newIdempotencyKey } from "../gateway/idempotency-key.js";
import type { FileJob, FlowContext } from "./context.js";
import { retrying } from "./retrying.js";

export type MetadataOption =
  | Record<string, string>
  | ((file: {
      name: string;
      type: string;
      size: number;
      index: number;
    }) => Record<string, string> | undefined);

export function declaration(job: FileJob, metadata: MetadataOption | undefined): FileDeclaration {
  const { name, type, size } = job.entry;
  const out: FileDeclaration = { name, type, size };
  if (job.checksum !== undefined) out[job.algorithm] = job.checksum;
  const meta = typeof metadata === "function" ? metadata({ name, type, size, index: job.index }) : metadata;
  if (meta !== undefined) out.metadata = meta;
  return out;
}

/**
 * POST /v1/uploads for these files, all at once: the gateway checks every file before it signs
 * any, so one refused file refuses the request (its error lists each problem). Every retry sends
 * the same Idempotency-Key, so a retry after a lost answer gets the same uploads, not a second quota hold.
 */
export async function createUploads(
  ctx: FlowContext,
  jobs: FileJob[],
  metadata: MetadataOption | undefined,
): Promise<UploadInstruction[]> {
  const files = jobs.map((job) => declaration(job, metadata));
  const idempotencyKey = newIdempotencyKey();
  try {
    const response = await retrying(ctx, jobs.length === 1 ? jobs[0] : undefined, () =>
      ctx.gateway.createUploads({ route: ctx.route, files }, undefined, { idempotencyKey }),
    );
    if (!Array.isArray(response?.uploads) || response.uploads.length !== jobs.length) {
      throw new UploadError("GATEWAY", "the upload server answered with the wrong number of uploads");
    }
    return response.uploads;
  } catch (err) {
    if (err instanceof UploadError && jobs.length === 1) withFile(err, jobs[0]!.entry.name);
    throw err;
  }
}
