import type { PostInstruction, PutInstruction } from "../../core/protocol.js";
import { isExpired } from "../errors.js";
import { storageError } from "../storage/classify.js";
import type { TransportRequest } from "../transport/types.js";
import type { FileJob, FlowContext } from "./context.js";
import { retrying } from "./retrying.js";

export type SingleInstruction = PutInstruction | PostInstruction;

/** The storage request for a presigned PUT (the file as body) or a form POST (fields in order, file last). */
export function singleRequest(
  instruction: SingleInstruction,
  job: FileJob,
  signal: AbortSignal,
  onProgress: (loaded: number) => void,
): TransportRequest {
  const { blob, name, size } = job.entry;
  if (instruction.method === "PUT") {
    return {
      method: "PUT",
      url: instruction.url,
      headers: instruction.headers,
      body: blob,
      size,
      signal,
      onProgress,
    };
  }
  const form = new FormData();
  for (const [field, value] of Object.entries(instruction.fields)) form.append(field, value);
  form.append("file", blob, name);
  return { method: "POST", url: instruction.url, headers: {}, body: form, size, signal, onProgress };
}

/**
 * Sends the whole file with one PUT or POST, retrying transient failures. An expired link is
 * replaced through `renew` (a new upload for this file). A 412 on a retry means an earlier attempt
 * did store the file (only its answer was lost): that counts as success, and complete checks it.
 */
export async function sendSingle(
  ctx: FlowContext,
  job: FileJob,
  first: SingleInstruction,
  renew: () => Promise<SingleInstruction>,
): Promise<SingleInstruction> {
  let instruction = first;
  let sends = 0;
  await retrying(ctx, job, async ({ lastError }) => {
    if (lastError && isExpired(lastError)) instruction = await renew();
    const request = singleRequest(instruction, job, ctx.control.requestSignal(), (loaded) =>
      job.tracker.report(0, Math.min(loaded, job.entry.size)),
    );
    if (ctx.stallTimeoutMs !== undefined) request.stallTimeoutMs = ctx.stallTimeoutMs;
    sends++;
    const response = await ctx.transport.send(request);
    const error = storageError(response);
    if (error && !(response.status === 412 && sends > 1)) throw error;
  });
  job.tracker.report(0, job.entry.size);
  return instruction;
}
