/** useUpload: one route's files, their progress and controls, as React state. */
import type { UploadError, UploadRecord } from "../client/index.js";
import type { ResumeOffer } from "./offers.js";
import { React } from "./react.js";
import { acceptFor, rulesFor } from "./route-info.js";
import { type SessionOptions, type SessionSource, UploadSession } from "./session.js";
import type { UploadSnapshot } from "./types.js";

export interface UseUploadOptions<Route extends string = string> {
  route: Route;
  /** Files uploading at once (default 2). */
  parallel?: number;
  metadata?: SessionOptions["metadata"];
  onComplete?: (record: UploadRecord, file: File) => void;
  onError?: (error: UploadError, file: File) => void;
}

export interface UseUploadResult extends UploadSnapshot {
  /** Queues files for upload (they start at once, `parallel` at a time). */
  add(files: Iterable<File>): void;
  /** One file by its item id, or every file. */
  pause(id?: number): void;
  resume(id?: number): void;
  cancel(id?: number): void;
  retry(id?: number): void;
  /** Drops finished, failed and cancelled files from the list. */
  clear(): void;
  /** Continues an offered upload with the file picked again; resolves to why not, if it is another file. */
  resumeOffer(offer: ResumeOffer, file: File): Promise<string | undefined>;
  dismissOffer(offer: ResumeOffer): Promise<void>;
  /** The file input's `accept` for this route (undefined: any file, or rules not loaded yet). */
  accept: string | undefined;
  /** The route's rules in words: "PNG image, JPEG image; up to 10 MB". */
  rules: string;
}

export function useUploadFrom(source: SessionSource, options: UseUploadOptions): UseUploadResult {
  const session = React.useMemo(() => new UploadSession(source, options.route), [source, options.route]);
  session.options = options;
  React.useEffect(() => {
    session.activate();
    return () => session.dispose();
  }, [session]);
  const snapshot = React.useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
  return React.useMemo(
    () => ({
      ...snapshot,
      add: (files) => session.add(files),
      pause: (id) => session.pause(id),
      resume: (id) => session.resume(id),
      cancel: (id) => session.cancel(id),
      retry: (id) => session.retry(id),
      clear: () => session.clear(),
      resumeOffer: (offer, file) => session.resumeOffer(offer, file),
      dismissOffer: (offer) => session.dismissOffer(offer),
      accept: acceptFor(snapshot.route),
      rules: rulesFor(snapshot.route),
    }),
    [session, snapshot],
  );
}
