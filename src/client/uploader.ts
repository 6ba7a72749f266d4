import type { ListUploadsResponse, RouteInfo, UploadRecord } from "../core/protocol.js";
import { type FileEntry, toEntries, type UploadInput } from "./files.js";
import type { FlowContext } from "./flow/context.js";
import { routeChecksumAlgorithm } from "./flow/route-checksum.js";
import { GatewayClient, type ListUploadsQuery } from "./gateway/client.js";
import type { UploaderOptions, UploadOptions } from "./options.js";
import { isSameFile, listResumable, type ResumableUpload } from "./resumable.js";
import { DEFAULT_RETRY } from "./retry/backoff.js";
import { defaultStateStore } from "./state/default.js";
import { UploadTask } from "./task.js";
import { defaultTransport } from "./transport/default.js";

export interface Uploader {
  /** Uploads and resolves to the verified records (in the order given), or rejects with UploadError. */
  upload(files: UploadInput | readonly UploadInput[], options: UploadOptions): Promise<UploadRecord[]>;
  /** The same, as a task with its own pause, resume and abort. */
  start(files: UploadInput | readonly UploadInput[], options: UploadOptions): UploadTask;
  /** Pauses every running task. */
  pause(): void;
  resume(): void;
  /** Aborts the task holding this gateway upload id (or every task); an idle id is deleted directly. */
  abort(id?: string): Promise<void>;
  /** GET /v1/uploads: the caller's uploads. */
  list(query?: ListUploadsQuery): Promise<ListUploadsResponse>;
  /** GET /v1/files/:id: where a verified upload downloads from. */
  fileUrl(id: string): string;
  /**
   * GET /v1/routes: the routes this caller may upload to, fetched once and kept (a failed fetch is
   * not kept). `refresh` fetches again, e.g. after signing in, when more routes become usable.
   */
  getRoutes(options?: { refresh?: boolean }): Promise<RouteInfo[]>;
  /**
   * Unfinished multipart uploads this uploader's state store remembers and the gateway still has
   * (after a reload, say), newest first, each with the bytes storage holds: offer to resume them.
   * Uploading the same file (see isSameFile) to the same route continues where storage stands.
   */
  resumable(): Promise<ResumableUpload[]>;
  /** Whether `file` is the one `upload` was started with (name, size, date and content hash). */
  isSameFile(file: UploadInput, upload: ResumableUpload): Promise<boolean>;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new TypeError(`${name} must be a whole number of 1 or more`);
  return value;
}

export function createUploader(options: UploaderOptions): Uploader {
  if (typeof options?.endpoint !== "string") throw new TypeError("createUploader needs { endpoint }");
  const gateway = new GatewayClient({
    endpoint: options.endpoint,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const transport = options.transport ?? defaultTransport(options.fetch);
  const state = options.stateStore ?? defaultStateStore();
  const concurrency = positive("concurrency", options.concurrency, 4);
  const fileConcurrency = positive("fileConcurrency", options.fileConcurrency, 2);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const tasks = new Set<UploadTask>();
  let routes: Promise<RouteInfo[]> | undefined;
  const getRoutes = (refresh = false): Promise<RouteInfo[]> => {
    if (routes === undefined || refresh) {
      const fetching = gateway.getRoutes();
      routes = fetching;
      fetching.catch(() => {
        if (routes === fetching) routes = undefined;
      });
    }
    return routes;
  };

  const start = (files: UploadInput | readonly UploadInput[], upload: UploadOptions): UploadTask => {
    if (typeof upload?.route !== "string" || upload.route === "")
      throw new TypeError("upload needs { route }");
    const entries: FileEntry[] = toEntries(files, upload.type);
    const ctx: Omit<FlowContext, "control"> = {
      gateway,
      transport,
      retry,
      concurrency,
      partChecksums: options.checksum !== false,
      checksumAlgorithm: () => routeChecksumAlgorithm(() => getRoutes(), upload.route),
      stallTimeoutMs: options.stallTimeoutMs,
      state,
      route: upload.route,
      onRetry: upload.onRetry,
      random: options.random,
      sleep: options.sleep,
    };
    const task = new UploadTask(ctx, entries, {
      metadata: upload.metadata,
      checksum: options.checksum !== false,
      hashChunkSize: options.hashChunkSize,
      hasher: options.hasher,
      fileConcurrency,
      ...(upload.onProgress ? { onProgress: upload.onProgress } : {}),
      ...(upload.signal ? { signal: upload.signal } : {}),
    });
    tasks.add(task);
    task.done.then(
      () => tasks.delete(task),
      () => tasks.delete(task),
    );
    return task;
  };

  return {
    start,
    upload: (files, upload) => start(files, upload).done,
    pause: () => {
      for (const task of tasks) task.pause();
    },
    resume: () => {
      for (const task of tasks) task.resume();
    },
    async abort(id) {
      const targets = [...tasks].filter((task) => id === undefined || task.uploadIds.includes(id));
      if (id !== undefined && targets.length === 0) {
        await gateway.abort(id);
        return;
      }
      await Promise.all(targets.map((task) => task.abort()));
    },
    list: (query) => gateway.list(query),
    fileUrl: (id) => gateway.fileUrl(id),
    getRoutes: (query) => getRoutes(query?.refresh === true),
    resumable: () => listResumable(gateway, state),
    isSameFile,
  };
}
