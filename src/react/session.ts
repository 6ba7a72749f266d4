/**
 * The state behind useUpload, without React: the files of one route, each its own upload task
 * (so each pauses, resumes, cancels and retries alone), their progress, speed and time left, the
 * uploads a reload left unfinished, and one line for a live region. React reads it through
 * subscribe/getSnapshot (useSyncExternalStore).
 */
import {
  describeError,
  type RouteInfo,
  UploadError,
  type Uploader,
  type UploadProgress,
  type UploadRecord,
  type UploadTask,
} from "../client/index.js";
import { offerOf, type ResumeOffer, sameIdentity } from "./offers.js";
import type { FileState, UploadItem, UploadSnapshot, UploadStatus } from "./types.js";

export interface SessionSource {
  uploader: Uploader;
  routes(): Promise<RouteInfo[]>;
}

export interface SessionOptions {
  /** Files uploading at once (default 2). */
  parallel?: number;
  metadata?: Parameters<Uploader["start"]>[1]["metadata"];
  onComplete?: (record: UploadRecord, file: File) => void;
  onError?: (error: UploadError, file: File) => void;
}

interface Entry {
  item: UploadItem;
  task: UploadTask | undefined;
  /** The percent last announced (every 25). */
  told: number;
}

const ACTIVE: ReadonlySet<FileState> = new Set(["queued", "hashing", "uploading", "paused", "verifying"]);

function secondsLeft(remaining: number, rate: number): number | undefined {
  return rate > 0 ? Math.ceil(remaining / rate) : undefined;
}

export class UploadSession {
  options: SessionOptions;
  private readonly entries: Entry[] = [];
  private readonly listeners = new Set<() => void>();
  private snapshot: UploadSnapshot;
  private offers: ResumeOffer[] = [];
  private routeInfo: RouteInfo | undefined;
  private announcement = { text: "", seq: 0 };
  private nextId = 1;
  private active = false;

  constructor(
    private readonly source: SessionSource,
    readonly route: string,
    options: SessionOptions = {},
  ) {
    this.options = options;
    this.snapshot = this.build();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): UploadSnapshot => this.snapshot;

  /** Mounted: fetch the route's rules and the uploads a reload left unfinished. */
  activate(): void {
    this.active = true;
    Promise.resolve()
      .then(() => this.source.routes())
      .then(
        (routes) => {
          this.routeInfo = routes.find((r) => r.name === this.route);
          this.changed();
        },
        () => {},
      );
    void this.refreshOffers();
  }

  /** Unmounted: every upload still running is cancelled. */
  dispose(): void {
    this.active = false;
    for (const entry of this.entries) {
      if (ACTIVE.has(entry.item.state)) this.cancel(entry.item.id);
    }
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      this.entries.push({ item: this.fresh(this.nextId++, file), task: undefined, told: 0 });
    }
    this.pump();
    this.changed();
  }

  /**
   * Continues an offered upload with the file picked again. Refused, with the reason announced and
   * returned, unless it is the same file (name, size, modification time and hash: the client's
   * isSameFile).
   */
  async resumeOffer(offer: ResumeOffer, file: File): Promise<string | undefined> {
    if (!sameIdentity(offer, file) || !(await this.source.uploader.isSameFile(file, offer))) {
      const problem = `${file.name} is not the unfinished ${offer.name}: pick that file to resume it`;
      this.announce(problem);
      this.changed();
      return problem;
    }
    this.offers = this.offers.filter((o) => o.key !== offer.key);
    this.add([file]);
    return undefined;
  }

  /** Forgets an offered upload and deletes it at the gateway (and so its stored parts). */
  async dismissOffer(offer: ResumeOffer): Promise<void> {
    this.offers = this.offers.filter((o) => o.key !== offer.key);
    this.changed();
    await this.source.uploader.abort(offer.id).catch(() => {});
  }

  pause(id?: number): void {
    for (const entry of this.select(id)) {
      if (!entry.task || !["hashing", "uploading", "verifying"].includes(entry.item.state)) continue;
      entry.task.pause();
      this.update(entry, { state: "paused", rate: 0, secondsLeft: undefined });
      this.announce(`${entry.item.name}: paused`);
    }
    this.changed();
  }

  resume(id?: number): void {
    for (const entry of this.select(id)) {
      if (entry.item.state !== "paused") continue;
      entry.task?.resume();
      this.update(entry, { state: "uploading" });
      this.announce(`${entry.item.name}: resumed`);
    }
    this.changed();
  }

  cancel(id?: number): void {
    for (const entry of this.select(id)) {
      if (!ACTIVE.has(entry.item.state)) continue;
      if (entry.task) void entry.task.abort();
      else this.settle(entry, { state: "cancelled" }, `${entry.item.name}: upload cancelled`);
    }
    this.pump();
    this.changed();
  }

  retry(id?: number): void {
    for (const entry of this.select(id)) {
      if (entry.item.state !== "failed" && entry.item.state !== "cancelled") continue;
      entry.item = this.fresh(entry.item.id, entry.item.file);
      entry.task = undefined;
      entry.told = 0;
    }
    this.pump();
    this.changed();
  }

  /** Drops finished, failed and cancelled files from the list. */
  clear(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (!ACTIVE.has(this.entries[i]!.item.state)) this.entries.splice(i, 1);
    }
    this.changed();
  }

  private select(id: number | undefined): Entry[] {
    return this.entries.filter((e) => id === undefined || e.item.id === id);
  }

  private fresh(id: number, file: File): UploadItem {
    const total = file.size;
    return {
      id,
      file,
      name: file.name,
      state: "queued",
      loaded: 0,
      total,
      percent: 0,
      rate: 0,
      secondsLeft: undefined,
    };
  }

  private update(entry: Entry, change: Partial<UploadItem>): void {
    entry.item = { ...entry.item, ...change };
  }

  /** Starts queued files while fewer than `parallel` run. */
  private pump(): void {
    const parallel = this.options.parallel ?? 2;
    let running = this.entries.filter((e) => e.task && ACTIVE.has(e.item.state)).length;
    for (const entry of this.entries) {
      if (running >= parallel) break;
      if (entry.item.state !== "queued" || entry.task) continue;
      running++;
      this.start(entry);
    }
  }

  private start(entry: Entry): void {
    const { file } = entry.item;
    const task = this.source.uploader.start(file, {
      route: this.route,
      ...(this.options.metadata !== undefined && { metadata: this.options.metadata }),
      onProgress: (progress) => this.progress(entry, task, progress),
    });
    entry.task = task;
    this.update(entry, { state: "hashing" });
    task.done.then(
      ([record]) => {
        this.settle(
          entry,
          { state: "done", record: record!, loaded: file.size, percent: 100 },
          `${file.name}: uploaded and verified`,
        );
        this.options.onComplete?.(record!, file);
      },
      (err: unknown) => {
        const error = err instanceof UploadError ? err : new UploadError("NETWORK", String(err));
        if (error.code === "ABORTED") {
          this.settle(entry, { state: "cancelled" }, `${file.name}: upload cancelled`);
          return;
        }
        const words = describeError(error);
        this.settle(entry, { state: "failed", error: words, cause: error }, words);
        this.options.onError?.(error, file);
      },
    );
  }

  private progress(entry: Entry, task: UploadTask, p: UploadProgress): void {
    if (entry.task !== task || !ACTIVE.has(entry.item.state)) return;
    const paused = task.state === "paused";
    const state: FileState = paused ? "paused" : p.phase === "done" ? "verifying" : p.phase;
    const rate = state === "uploading" ? p.rate : 0;
    this.update(entry, {
      state,
      loaded: p.loaded,
      total: p.total,
      percent: p.percent,
      rate,
      secondsLeft: state === "uploading" ? secondsLeft(p.total - p.loaded, rate) : undefined,
    });
    const step = Math.floor(p.percent / 25) * 25;
    if (state === "uploading" && step > entry.told && step < 100) {
      entry.told = step;
      this.announce(`${entry.item.name}: ${step}% uploaded`);
    }
    this.changed();
  }

  private settle(entry: Entry, change: Partial<UploadItem>, words: string): void {
    this.update(entry, { ...change, rate: 0, secondsLeft: undefined });
    this.announce(words);
    this.pump();
    this.changed();
    if (this.active) void this.refreshOffers();
  }

  private async refreshOffers(): Promise<void> {
    const resumable = await Promise.resolve()
      .then(() => this.source.uploader.resumable())
      .catch(() => []);
    // A file in the list is not offered: it has its own retry (and its record may be being written).
    const busy = this.entries.map((e) => e.item.file);
    this.offers = resumable
      .filter((upload) => upload.route === this.route && !busy.some((file) => sameIdentity(upload, file)))
      .map(offerOf);
    this.changed();
  }

  private announce(text: string): void {
    this.announcement = { text, seq: this.announcement.seq + 1 };
  }

  private changed(): void {
    this.snapshot = this.build();
    for (const listener of this.listeners) listener();
  }

  private build(): UploadSnapshot {
    const items = this.entries.map((e) => e.item);
    const counted = items.filter((i) => i.state !== "cancelled" && i.state !== "failed");
    const loaded = counted.reduce((sum, i) => sum + i.loaded, 0);
    const total = counted.reduce((sum, i) => sum + i.total, 0);
    const rate = counted.reduce((sum, i) => sum + i.rate, 0);
    const active = items.filter((i) => ACTIVE.has(i.state));
    let status: UploadStatus = "idle";
    if (active.length > 0) status = active.every((i) => i.state === "paused") ? "paused" : "uploading";
    else if (items.some((i) => i.state === "failed")) status = "failed";
    else if (items.some((i) => i.state === "done")) status = "done";
    return {
      status,
      items,
      total: {
        loaded,
        total,
        percent: total > 0 ? (loaded / total) * 100 : 0,
        rate,
        secondsLeft: secondsLeft(total - loaded, rate),
      },
      offers: this.offers,
      route: this.routeInfo,
      announcement: this.announcement,
    };
  }
}
