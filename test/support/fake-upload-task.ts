import {
  UploadError,
  type UploadOptions,
  type UploadProgress,
  type UploadRecord,
} from "../../src/client/index.js";

/**
 * An upload task a UI-layer test drives by hand: progress, success, failure; pause, resume and
 * abort are recorded in `calls`. Stands in for what `Uploader.start()` returns.
 */
export class FakeUploadTask {
  calls: string[] = [];
  state = "running";
  readonly done: Promise<UploadRecord[]>;
  private settle!: { ok: (r: UploadRecord[]) => void; fail: (e: unknown) => void };
  constructor(
    readonly file: File,
    readonly options: UploadOptions,
  ) {
    this.done = new Promise((ok, fail) => {
      this.settle = { ok, fail };
    });
    this.done.catch(() => {});
  }
  progress(p: Partial<UploadProgress>) {
    this.options.onProgress?.({
      file: this.file.name,
      index: 0,
      phase: "uploading",
      hashed: this.file.size,
      loaded: 0,
      total: this.file.size,
      rate: 0,
      percent: 0,
      ...p,
    });
  }
  finish() {
    this.settle.ok([
      { id: `id-${this.file.name}`, name: this.file.name, status: "verified" } as UploadRecord,
    ]);
  }
  fail(error: UploadError) {
    this.settle.fail(error);
  }
  pause() {
    this.calls.push("pause");
    this.state = "paused";
  }
  resume() {
    this.calls.push("resume");
    this.state = "running";
  }
  abort() {
    this.calls.push("abort");
    this.settle.fail(new UploadError("ABORTED", "the upload was cancelled"));
    return Promise.resolve();
  }
}
