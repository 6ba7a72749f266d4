import {
  describeError,
  UploadError,
  type Uploader,
  type UploadRecord,
  type UploadTask,
} from "../../src/client/index.js";
import { Milestones } from "./a11y.js";
import { Card } from "./card.js";
import { precheck, type RouteInfo } from "./routes.js";

export interface UploadDeps {
  uploader: Uploader;
  announce(text: string): void;
  /** After verification: a thumbnail URL for the card, if the file has one. */
  thumbnail(record: UploadRecord): Promise<string | undefined>;
  /** The gateway gave the upload its id (the page shows it in "my uploads"). */
  started(): void;
  /** Every upload's end, whatever it was (the page refreshes "my uploads"). */
  settled(): void;
  /** The gateway refused the sign-in (expired token, restarted server). */
  signedOut(): void;
}

/** Progress for anyone listening on the page (tests, analytics): one event per client progress event. */
function publish(progress: unknown): void {
  document.dispatchEvent(new CustomEvent("upgate:progress", { detail: progress }));
}

/**
 * A card for one file, and the job that uploads it. A file the route refuses fails at once, before
 * anything is read; otherwise the job runs one upload task with its own pause, resume and cancel.
 */
export function prepareUpload(
  deps: UploadDeps,
  file: File,
  route: RouteInfo,
  /** Resuming after a reload: the bytes storage already holds, where the bar starts. */
  storedBytes?: number,
): { card: Card; run?: () => Promise<void> } {
  let task: UploadTask | undefined;
  let cancelled = false;
  const card = new Card(file, route.label, {
    pause: () => {
      task?.pause();
      card.paused(true);
      deps.announce(`${file.name}: paused`);
    },
    resume: () => {
      task?.resume();
      card.paused(false);
      deps.announce(`${file.name}: resumed`);
    },
    cancel: () => {
      cancelled = true;
      if (task) void task.abort();
      else card.cancelled();
    },
  });
  const refusal = precheck(route, file);
  if (refusal) {
    card.failed(refusal);
    deps.announce(refusal);
    return { card };
  }
  card.waiting();
  if (storedBytes !== undefined) card.resumeFrom(storedBytes);
  const run = async () => {
    if (cancelled) return;
    const milestones = new Milestones();
    let known = false;
    task = deps.uploader.start(file, {
      route: route.name,
      onProgress: (progress) => {
        publish(progress);
        if (!known && progress.uploadId !== undefined) {
          known = true;
          deps.started();
        }
        card.progress(progress);
        const reached = progress.phase === "uploading" ? milestones.next(progress.percent) : undefined;
        if (reached) deps.announce(`${file.name}: ${reached}% uploaded`);
      },
    });
    try {
      const [record] = await task.done;
      card.verified(record!);
      deps.announce(`${file.name}: uploaded and verified`);
      const thumbnail = await deps.thumbnail(record!).catch(() => undefined);
      if (thumbnail) card.thumbnail(thumbnail);
    } catch (err) {
      if (err instanceof UploadError && err.code === "ABORTED") {
        card.cancelled();
        deps.announce(`${file.name}: upload cancelled`);
      } else {
        const message = describeError(err);
        card.failed(message);
        deps.announce(message);
        if (err instanceof UploadError && err.serverCode?.startsWith("AUTH_")) deps.signedOut();
      }
    } finally {
      deps.settled();
    }
  };
  return { card, run };
}
