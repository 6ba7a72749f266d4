/**
 * The Uppy 6 uploader: each Uppy file goes through upgate/client's uploader (signed URLs and
 * headers, checksums, resume from the parts storage holds), and what happens is reported into
 * Uppy's state through its events.
 */
import type { Body, Meta, PluginOpts, Uppy, UppyFile } from "@uppy/core";
import {
  createUploader,
  describeError,
  type RouteInfo,
  UploadError,
  type Uploader,
  type UploaderOptions,
  type UploadInput,
  type UploadProgress,
  type UploadTask,
} from "../client/index.js";
import { mergeRestrictions, routeRestrictions } from "./restrictions.js";
import { BasePlugin } from "./uppy-core.js";

export interface UpgateOptions<M extends Meta = Meta, B extends Body = Body> extends PluginOpts {
  /** The gateway route every file goes to ("images", "documents", ...). */
  route: string;
  /** The upgate/client uploader to use (say, shared with the rest of the app)... */
  uploader?: Uploader;
  /** ...or the options to create one with (`endpoint`, `headers`, `stateStore`...). */
  client?: UploaderOptions;
  /** Files uploading at once (default 2). */
  limit?: number;
  /** Apply the route's rules from GET /v1/routes as Uppy's restrictions (default true). */
  restrictions?: boolean;
  /** Metadata the route accepts, per file (from Uppy's `file.meta`, say). */
  metadata?: (file: UppyFile<M, B>) => Record<string, string> | undefined;
}

/** The plugin's state in Uppy: the route's rules once loaded, or why they could not be. */
export type UpgatePluginState = {
  route: RouteInfo | undefined;
  routeError: string | undefined;
};

/** Uppy's error shape, with the client's plain-language message (the UploadError is the cause). */
function uppyError(err: unknown): Error {
  const error = new Error(describeError(err), { cause: err });
  error.name = "UploadError";
  return error;
}

/** What the client uploads: the File itself, or a File around a Blob Uppy kept (date 0, stable across reloads). */
function inputOf(file: UppyFile<Meta, Body>): UploadInput {
  const data = file.data as Blob;
  if (typeof File !== "undefined" && data instanceof File) return data;
  return new File([data], file.name, { type: data.type || file.type, lastModified: 0 });
}

export class Upgate<M extends Meta = Meta, B extends Body = Body> extends BasePlugin<
  UpgateOptions<M, B>,
  M,
  B,
  UpgatePluginState
> {
  static readonly VERSION = "1";
  readonly uploader: Uploader;
  /** Resolves to the route's rules once GET /v1/routes answered (undefined when it failed or lacks the route). */
  ready: Promise<RouteInfo | undefined> = Promise.resolve(undefined);
  private readonly tasks = new Map<string, UploadTask>();

  constructor(uppy: Uppy<M, B>, opts: UpgateOptions<M, B>) {
    super(uppy, opts);
    if (typeof opts?.route !== "string" || opts.route === "") throw new TypeError("Upgate needs { route }");
    if (!opts.uploader && !opts.client) throw new TypeError("Upgate needs { uploader } or { client }");
    this.id = opts.id ?? "Upgate";
    this.type = "uploader";
    this.uploader = opts.uploader ?? createUploader(opts.client!);
  }

  override install(): void {
    const { capabilities } = this.uppy.getState();
    this.uppy.setState({ capabilities: { ...capabilities, resumableUploads: true } });
    this.setPluginState({ route: undefined, routeError: undefined });
    this.uppy.addUploader(this.upload);
    this.uppy.on("upload-pause", this.onPause);
    this.uppy.on("pause-all", this.onPauseAll);
    this.uppy.on("resume-all", this.onResumeAll);
    this.uppy.on("file-removed", this.onRemoved);
    if (this.opts.restrictions !== false) this.ready = this.applyRoute();
  }

  override uninstall(): void {
    this.uppy.removeUploader(this.upload);
    this.uppy.off("upload-pause", this.onPause);
    this.uppy.off("pause-all", this.onPauseAll);
    this.uppy.off("resume-all", this.onResumeAll);
    this.uppy.off("file-removed", this.onRemoved);
    for (const task of this.tasks.values()) void task.abort();
  }

  /** The route's rules as Uppy's restrictions, the stricter where the app set its own. */
  private async applyRoute(): Promise<RouteInfo | undefined> {
    try {
      const route = (await this.uploader.getRoutes()).find((r) => r.name === this.opts.route);
      if (!route) throw new Error(`the route "${this.opts.route}" is not one this user may upload to`);
      const restrictions = mergeRestrictions(this.uppy.opts.restrictions, routeRestrictions(route));
      this.uppy.setOptions({ restrictions });
      this.setPluginState({ route, routeError: undefined });
      return route;
    } catch (err) {
      const message = describeError(err);
      this.setPluginState({ routeError: message });
      this.uppy.log(`[Upgate] no rules for route ${this.opts.route}: ${message}`, "warning");
      return undefined;
    }
  }

  private readonly upload = async (fileIDs: string[]): Promise<void> => {
    const files = fileIDs
      .map((id) => this.uppy.getFile(id))
      .filter((file) => file !== undefined && !file.progress.uploadComplete);
    if (files.length === 0) return;
    this.uppy.emit("upload-start", files);
    const queue = [...files];
    const limit = Math.max(1, this.opts.limit ?? 2);
    const worker = async () => {
      for (let file = queue.shift(); file; file = queue.shift()) await this.uploadFile(file);
    };
    await Promise.all(Array.from({ length: Math.min(limit, files.length) }, worker));
  };

  private async uploadFile(file: UppyFile<M, B>): Promise<void> {
    const current = this.uppy.getFile(file.id);
    if (!current) return;
    if (current.isRemote || current.isGhost || !current.data) {
      const reason = current.isRemote
        ? "files from remote providers are not supported"
        : "its content was not kept over the reload: add the file again";
      this.uppy.emit("upload-error", current, uppyError(new Error(`${current.name}: ${reason}`)));
      return;
    }
    const started = current.progress.uploadStarted ?? Date.now();
    let hashing = false;
    const onProgress = (progress: UploadProgress) => {
      const file = this.uppy.getFile(current.id);
      if (!file) return;
      if (progress.phase === "hashing" && progress.total > 0) {
        hashing = true;
        this.uppy.emit("preprocess-progress", file, {
          mode: "determinate",
          message: "Checking the file",
          value: progress.hashed / progress.total,
        });
        return;
      }
      if (hashing) {
        hashing = false;
        this.uppy.emit("preprocess-complete", file);
      }
      this.uppy.emit("upload-progress", file, {
        uploadStarted: started,
        bytesUploaded: progress.loaded,
        bytesTotal: progress.total,
      });
    };
    const metadata = this.opts.metadata?.(current);
    const task = this.uploader.start(inputOf(current as UppyFile<Meta, Body>), {
      route: this.opts.route,
      onProgress,
      ...(metadata ? { metadata } : {}),
      onRetry: (info) => this.uppy.log(`[Upgate] ${current.name}: retrying (${describeError(info.error)})`),
    });
    this.tasks.set(current.id, task);
    if (current.isPaused) task.pause();
    try {
      const [record] = await task.done;
      if (hashing) this.uppy.emit("preprocess-complete", this.uppy.getFile(current.id));
      this.uppy.emit("upload-success", this.uppy.getFile(current.id), {
        status: 200,
        body: record as unknown as B,
        uploadURL: this.uploader.fileUrl(record!.id),
      });
    } catch (err) {
      // Removed or cancelled in Uppy: nothing to report.
      if (err instanceof UploadError && err.code === "ABORTED") return;
      const now = this.uppy.getFile(current.id);
      if (hashing && now) this.uppy.emit("preprocess-complete", now);
      if (now) this.uppy.emit("upload-error", now, uppyError(err));
    } finally {
      if (this.tasks.get(current.id) === task) this.tasks.delete(current.id);
    }
  }

  private readonly onPause = (file: UppyFile<M, B> | undefined, paused: boolean) => {
    const task = file && this.tasks.get(file.id);
    if (paused) task?.pause();
    else task?.resume();
  };

  private readonly onPauseAll = () => {
    for (const task of this.tasks.values()) task.pause();
  };

  private readonly onResumeAll = () => {
    for (const task of this.tasks.values()) task.resume();
  };

  /** A file removed (or every file, on cancel-all) stops, and its unfinished upload is deleted at the gateway. */
  private readonly onRemoved = (file: UppyFile<M, B>) => {
    const task = this.tasks.get(file.id);
    if (!task) return;
    this.tasks.delete(file.id);
    void task.abort();
  };
}

declare module "@uppy/core" {
  interface PluginTypeRegistry<M extends Meta, B extends Body> {
    Upgate: Upgate<M, B>;
  }
}
