import type { UploadRecord } from "../core/protocol.js";
import { Control } from "./control.js";
import { abortedError, toUploadError, type UploadError } from "./errors.js";
import type { FileEntry } from "./files.js";
import type { FileJob, FlowContext } from "./flow/context.js";
import { type RunOptions, runUploads } from "./flow/run.js";
import { ProgressTracker, type UploadProgress } from "./progress/tracker.js";

export type TaskState = "running" | "paused" | "done" | "failed" | "aborted";

const noop = () => {};

/**
 * One upload() call's work, with its own pause, resume and abort. `done` resolves to the verified
 * records, in the order the files were given, or rejects with an UploadError.
 */
export class UploadTask {
  readonly done: Promise<UploadRecord[]>;
  private readonly control = new Control();
  private readonly jobs: FileJob[];
  private settled: TaskState | undefined;
  private cancelled = false;

  constructor(
    ctx: Omit<FlowContext, "control">,
    entries: FileEntry[],
    options: RunOptions & { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal },
  ) {
    this.jobs = entries.map((entry, index) => ({
      index,
      entry,
      tracker: new ProgressTracker(entry.name, index, entry.size, options.onProgress),
      algorithm: "sha256",
      checksum: undefined,
      resumeKey: undefined,
      id: undefined,
      multipart: false,
      completed: false,
      failed: false,
    }));
    const flow: FlowContext = { ...ctx, control: this.control };
    if (options.signal?.aborted) this.cancelled = true;
    options.signal?.addEventListener("abort", () => void this.abort(), { once: true });
    this.done = this.run(flow, options);
    this.done.catch(noop);
  }

  get state(): TaskState {
    return this.settled ?? (this.control.paused ? "paused" : "running");
  }

  /** The gateway's upload ids created or resumed so far. */
  get uploadIds(): string[] {
    return this.jobs.flatMap((job) => (job.id === undefined ? [] : [job.id]));
  }

  progress(): UploadProgress[] {
    return this.jobs.map((job) => job.tracker.snapshot());
  }

  /** Stops sending: requests in flight are cut (their bytes are sent again on resume). */
  pause(): void {
    if (!this.settled) this.control.pause();
  }

  resume(): void {
    this.control.resume();
  }

  /** Cancels: stops everything, deletes every unfinished upload (DELETE /v1/uploads/:id). */
  abort(): Promise<void> {
    if (!this.settled) {
      this.cancelled = true;
      this.control.abort();
    }
    return this.done.then(noop, noop);
  }

  private async run(ctx: FlowContext, options: RunOptions): Promise<UploadRecord[]> {
    try {
      if (this.cancelled) throw abortedError();
      const records = await runUploads(ctx, this.jobs, options);
      this.settled = "done";
      return records;
    } catch (raw) {
      const error = this.cancelled ? abortedError() : toUploadError(raw);
      this.control.abort();
      await this.cleanup(ctx, error);
      this.settled = this.cancelled ? "aborted" : "failed";
      throw error;
    }
  }

  /**
   * After a failure or an abort. Cancelled: every unfinished upload is deleted and forgotten.
   * Failed: multipart uploads stay resumable (kept in storage and in the state store) unless this
   * file's own error cannot be fixed by trying again; single uploads are deleted.
   */
  private async cleanup(ctx: FlowContext, error: UploadError): Promise<void> {
    await Promise.all(
      this.jobs.map(async (job) => {
        if (job.id === undefined || job.completed) return;
        const resumable = job.multipart && !(job.failed && !error.retryable);
        if (!this.cancelled && resumable) return;
        await deleteUpload(ctx, job.id);
        if (job.resumeKey !== undefined) await ctx.state.delete(job.resumeKey).catch(noop);
      }),
    );
  }
}

/** DELETE /v1/uploads/:id, twice at most; a failure here only delays the gateway's own sweep. */
async function deleteUpload(ctx: FlowContext, id: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await ctx.gateway.abort(id);
      return;
    } catch (err) {
      const error = toUploadError(err);
      if (error.status === 404 || !error.retryable) return;
    }
  }
}
