import type { UploadInstruction, UploadRecord } from "../../core/protocol.js";
import { toUploadError, UploadError, withFile } from "../errors.js";
import { hashBlob } from "../hash/hash-blob.js";
import type { IncrementalSha256 } from "../hash/hasher.js";
import { readFailure } from "../read-error.js";
import { resumeKey } from "../state/key.js";
import { completeUpload } from "./complete.js";
import type { FileJob, FlowContext } from "./context.js";
import { createUploads, type MetadataOption } from "./create.js";
import { sendMultipart } from "./multipart.js";
import { type MultipartPlan, planFromInstruction } from "./plan.js";
import { runPool } from "./pool.js";
import { resumePlan } from "./resume.js";
import { type SingleInstruction, sendSingle } from "./single.js";

export interface RunOptions {
  metadata: MetadataOption | undefined;
  /** Compute and declare each file's SHA-256 (and sign each part's). */
  checksum: boolean;
  hashChunkSize: number | undefined;
  hasher: (() => IncrementalSha256) | undefined;
  /** Files uploading at once. */
  fileConcurrency: number;
}

type Work = { plan: MultipartPlan } | { single: SingleInstruction };

async function hashFiles(ctx: FlowContext, jobs: FileJob[], options: RunOptions): Promise<void> {
  for (const job of jobs) {
    try {
      job.sha256 = await hashBlob(job.entry.blob, {
        signal: ctx.control.signal,
        gate: () => ctx.control.gate(),
        onProgress: (hashed) => job.tracker.setHashed(hashed),
        ...(options.hashChunkSize === undefined ? {} : { chunkSize: options.hashChunkSize }),
        ...(options.hasher === undefined ? {} : { hasher: options.hasher }),
      });
    } catch (err) {
      job.failed = true;
      throw withFile(toUploadError(readFailure(err)), job.entry.name);
    }
    job.resumeKey = resumeKey(job.entry, job.sha256);
  }
}

function adopt(job: FileJob, instruction: UploadInstruction): Work {
  job.id = instruction.id;
  job.tracker.setUploadId(instruction.id);
  if (instruction.method === "MULTIPART") {
    job.multipart = true;
    return { plan: planFromInstruction(instruction, job.entry.size) };
  }
  return { single: instruction };
}

/** A fresh upload for a file whose single-request link expired; the old one is released. */
async function renewSingle(ctx: FlowContext, job: FileJob, options: RunOptions): Promise<SingleInstruction> {
  const old = job.id;
  const [instruction] = await createUploads(ctx, [job], options.metadata);
  const work = adopt(job, instruction!);
  if (old !== undefined) ctx.gateway.abort(old).catch(() => {});
  if (!("single" in work))
    throw new UploadError("GATEWAY", "the upload server switched this file to multipart");
  return work.single;
}

async function uploadOne(
  ctx: FlowContext,
  job: FileJob,
  work: Work,
  options: RunOptions,
): Promise<UploadRecord> {
  if ("plan" in work) {
    const parts = await sendMultipart(ctx, job, work.plan);
    const record = await completeUpload(ctx, job, { parts });
    if (job.resumeKey !== undefined) await ctx.state.delete(job.resumeKey).catch(() => {});
    return record;
  }
  job.tracker.setPhase("uploading");
  await sendSingle(ctx, job, work.single, () => renewSingle(ctx, job, options));
  return completeUpload(ctx, job, {});
}

/**
 * One task from start to end: hash every file, resume what the state store and the gateway allow,
 * create the rest in one request, then upload and complete, `fileConcurrency` files at a time.
 */
export async function runUploads(
  ctx: FlowContext,
  jobs: FileJob[],
  options: RunOptions,
): Promise<UploadRecord[]> {
  if (options.checksum) await hashFiles(ctx, jobs, options);
  const work = new Map<FileJob, Work>();
  for (const job of jobs) {
    const plan = await resumePlan(ctx, job).catch((err: unknown) => {
      throw withFile(toUploadError(err), job.entry.name);
    });
    if (plan) {
      job.multipart = true;
      job.id = plan.id;
      job.tracker.setUploadId(plan.id);
      work.set(job, { plan });
    }
  }
  const fresh = jobs.filter((job) => !work.has(job));
  if (fresh.length > 0) {
    const instructions = await createUploads(ctx, fresh, options.metadata);
    for (const [i, job] of fresh.entries()) work.set(job, adopt(job, instructions[i]!));
  }
  await ctx.control.gate();
  const records: UploadRecord[] = new Array(jobs.length);
  await runPool(jobs, options.fileConcurrency, async (job) => {
    try {
      records[job.index] = await uploadOne(ctx, job, work.get(job)!, options);
    } catch (err) {
      const error = toUploadError(readFailure(err));
      if (error.code !== "ABORTED") job.failed = true;
      throw withFile(error, job.entry.name);
    }
  });
  return records;
}
