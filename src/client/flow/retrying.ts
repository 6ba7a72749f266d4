import type { UploadError } from "../errors.js";
import { type AttemptContext, withRetry } from "../retry/with-retry.js";
import type { FileJob, FlowContext } from "./context.js";

/** withRetry with the task's control, retry options, test seams and onRetry (naming the file). */
export function retrying<T>(
  ctx: FlowContext,
  job: FileJob | undefined,
  attempt: (context: AttemptContext) => Promise<T>,
): Promise<T> {
  return withRetry(attempt, {
    control: ctx.control,
    retry: ctx.retry,
    ...(ctx.random ? { random: ctx.random } : {}),
    ...(ctx.sleep ? { sleep: ctx.sleep } : {}),
    onRetry: (info) => {
      if (job) (info.error as UploadError).file ??= job.entry.name;
      ctx.onRetry?.({ ...info, file: job?.entry.name ?? "" });
    },
  });
}
