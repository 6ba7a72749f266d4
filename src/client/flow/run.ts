import type { UploadInstruction, UploadRecord } from "../../core/protocol.js";
import { toUploadError, UploadError, withFile } from "../errors.js";
import { fileFingerprint } from "../hash/fingerprint.js";
import { hashBlob } from "../hash/hash-blob.js";
import { hashPart, WEBCRYPTO_MAX_PART } from "../hash/hash-part.js";
import type { IncrementalSha256 } from "../hash/hasher.js";
import { blobChecksum } from "../hash/part-checksum.js";
import { readFailure } from "../read-error.js";
import { resumeKey, wholeFileKeyHash } from "../state/key.js";
import { completeUpload } from "./complete.js";
import { multipartCompleteBody } from "./complete-body.js";
import type { FileJob, FlowContext } from "./context.js";
import { createUploads, type MetadataOption } from "./create.js";
import { sendMultipart } from "./multipart.js";
import { type MultipartPlan, planFromInstruction } from "./plan.js";
import { runPool } from "./pool.js";
import { resumePlan } from "./resume.js";
import { type SingleInstruction, sendSingle } from "./single.js";

export interface RunOptions {
  metadata: MetadataOption | undefined;
  /** Compute and declare each file's checksum in the route's algorithm (and sign each part's). */
  checksum: boolean;
  hashChunkSize: number | undefined;
  hasher: (() => IncrementalSha256) | undefined;
  /** Files uploading at once. */
  fileConcurrency: number;
}

type Work = { plan: MultipartPlan } | { single: SingleInstruction };

/** Files up to this size are hashed whole before create; larger ones only if they turn out not to be multipart. */
export const HASH_FIRST_MAX = WEBCRYPTO_MAX_PART;

/**
 * The whole file's checksum, for the create request. SHA-256: WebCrypto in one go when it exists
 * and the file is small (native speed); else streamed in slices through the incremental hasher.
 * CRCs: in a Worker (or streamed on this thread where there is none).
 */
async function hashFile(ctx: FlowContext, job: FileJob, options: RunOptions): Promise<void> {
  const { blob } = job.entry;
  try {
    if (job.algorithm !== "sha256") {
      await ctx.control.gate();
      job.checksum = await blobChecksum(job.algorithm, blob, ctx.control.signal);
      job.tracker.setHashed(blob.size);
      return;
    }
    if (options.hasher === undefined && globalThis.crypto?.subtle && blob.size <= WEBCRYPTO_MAX_PART) {
      await ctx.control.gate();
      job.checksum = await hashPart(blob, ctx.control.signal);
      job.tracker.setHashed(blob.size);
      return;
    }
    job.checksum = await hashBlob(blob, {
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
}

/**
 * The resume key of each file: name, size, mtime and a hash: the whole file's when it was hashed
 * (it is declared, so a changed file must not resume that upload), else that of its first 4 MiB.
 */
async function keyFiles(ctx: FlowContext, jobs: FileJob[]): Promise<void> {
  for (const job of jobs) {
    try {
      const hash =
        job.checksum === undefined
          ? await fileFingerprint(job.entry.blob, ctx.control.signal)
          : wholeFileKeyHash(job.algorithm, job.checksum);
      job.resumeKey = resumeKey(job.entry, hash);
    } catch (err) {
      job.failed = true;
      throw withFile(toUploadError(readFailure(err)), job.entry.name);
    }
  }
}

/** Takes a create answer for this file: its id, and its algorithm, which outranks the route list's. */
function adopt(job: FileJob, instruction: UploadInstruction): Work {
  job.id = instruction.id;
  job.tracker.setUploadId(instruction.id);
  const algorithm = instruction.checksumAlgorithm ?? job.algorithm;
  if (algorithm !== job.algorithm) {
    job.algorithm = algorithm;
    job.checksum = undefined;
  }
  if (instruction.method === "MULTIPART") {
    job.multipart = true;
    return { plan: planFromInstruction(instruction, job.entry.size, algorithm) };
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
    const record = await completeUpload(ctx, job, multipartCompleteBody(job, work.plan, parts));
    if (job.resumeKey !== undefined) await ctx.state.delete(job.resumeKey).catch(() => {});
    return record;
  }
  job.tracker.setPhase("uploading");
  await sendSingle(ctx, job, work.single, () => renewSingle(ctx, job, options));
  return completeUpload(ctx, job, {});
}

const checksumRequired = (err: unknown) =>
  err instanceof UploadError && err.serverCode === "POLICY_CHECKSUM_REQUIRED";

/**
 * Creates uploads for files not resumed. Big files are declared without a whole-file hash, since
 * hashing them first (at JS speed in browsers) would cost more than the upload: a multipart answer
 * needs none (every part's SHA-256 is signed and checked instead). A big file that gets a single
 * PUT or POST, or a route that requires the hash, makes the client hash it and create it again
 * (the first upload is deleted): a few milliseconds of extra requests.
 */
async function createFresh(
  ctx: FlowContext,
  fresh: FileJob[],
  options: RunOptions,
  work: Map<FileJob, Work>,
): Promise<void> {
  const unhashed = () => fresh.filter((job) => options.checksum && job.checksum === undefined);
  let instructions: UploadInstruction[];
  try {
    instructions = await createUploads(ctx, fresh, options.metadata);
  } catch (err) {
    if (!checksumRequired(err) || unhashed().length === 0) throw err;
    for (const job of unhashed()) await hashFile(ctx, job, options);
    instructions = await createUploads(ctx, fresh, options.metadata);
  }
  const redo: FileJob[] = [];
  for (const [i, job] of fresh.entries()) {
    const instruction = instructions[i]!;
    if (options.checksum && job.checksum === undefined && instruction.method !== "MULTIPART") {
      redo.push(job);
      job.algorithm = instruction.checksumAlgorithm ?? job.algorithm;
      // Awaited, so its quota reservation is released before the second create.
      await ctx.gateway.abort(instruction.id).catch(() => {});
    } else {
      work.set(job, adopt(job, instruction));
    }
  }
  if (redo.length === 0) return;
  for (const job of redo) await hashFile(ctx, job, options);
  const again = await createUploads(ctx, redo, options.metadata);
  for (const [i, job] of redo.entries()) work.set(job, adopt(job, again[i]!));
}

/**
 * One task from start to end: hash the small files and fingerprint every file, resume what the
 * state store and the gateway allow, create the rest in one request, then upload and complete,
 * `fileConcurrency` files at a time.
 */
export async function runUploads(
  ctx: FlowContext,
  jobs: FileJob[],
  options: RunOptions,
): Promise<UploadRecord[]> {
  if (options.checksum) {
    const algorithm = await ctx.checksumAlgorithm();
    for (const job of jobs) job.algorithm = algorithm;
    for (const job of jobs) if (job.entry.size <= HASH_FIRST_MAX) await hashFile(ctx, job, options);
    await keyFiles(ctx, jobs);
  }
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
  if (fresh.length > 0) await createFresh(ctx, fresh, options, work);
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
