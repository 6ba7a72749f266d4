import { describe, expect, it, vi } from "vitest";
import {
  memoryStateStore,
  type ResumeRecord,
  type RouteInfo,
  UploadError,
  type Uploader,
  type UploadOptions,
  type UploadProgress,
  type UploadRecord,
} from "../client/index.js";
import { UploadSession } from "./session.js";

/** A task the test drives: progress, success, failure; pause, resume and abort are recorded. */
class FakeTask {
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

const ROUTE: RouteInfo = {
  name: "videos",
  label: "Videos",
  types: [{ type: "video/mp4", label: "MP4 video", extensions: [".mp4"] }],
  maxSize: 100 * 1024 * 1024,
  minSize: 0,
  maxFiles: 5,
  strategy: "auto",
  multipartThreshold: 64 * 1024 * 1024,
  partSize: 8 * 1024 * 1024,
  checksum: { mode: "required", algorithm: "sha256" },
  urlLifetime: 300,
  public: false,
};

/** `pending`: the ids GET /v1/uploads lists as pending (undefined: the listing fails). */
function setup(records: ResumeRecord[] = [], pending?: string[]) {
  const tasks: FakeTask[] = [];
  const aborted: string[] = [];
  const listed: unknown[] = [];
  const uploader = {
    start(file: File, options: UploadOptions) {
      const task = new FakeTask(file, options);
      tasks.push(task);
      return task;
    },
    abort: async (id?: string) => {
      aborted.push(id ?? "*");
    },
    list: async (query: unknown) => {
      listed.push(query);
      if (!pending) throw new UploadError("GATEWAY", "sign in to upload", { status: 401 });
      return { uploads: pending.map((id) => ({ id, status: "pending" })) };
    },
  } as unknown as Uploader;
  const stateStore = memoryStateStore();
  for (const r of records) void stateStore.put(r);
  const session = new UploadSession({ uploader, stateStore, routes: async () => [ROUTE] }, "videos");
  let changes = 0;
  session.subscribe(() => changes++);
  return { session, tasks, aborted, listed, stateStore, changes: () => changes };
}

const file = (name: string, size: number, lastModified = 1000) =>
  new File([new Uint8Array(size)], name, { type: "video/mp4", lastModified });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("UploadSession", () => {
  it("one task per file, at most `parallel` at once; progress, speed, time left and totals", async () => {
    const { session, tasks } = setup();
    session.options = { parallel: 2 };
    session.add([file("a.mp4", 1000), file("b.mp4", 3000), file("c.mp4", 500)]);
    expect(tasks.map((t) => t.file.name)).toEqual(["a.mp4", "b.mp4"]);
    expect(tasks[0]!.options.route).toBe("videos");
    expect(session.getSnapshot().items.map((i) => i.state)).toEqual(["hashing", "hashing", "queued"]);

    tasks[0]!.progress({ loaded: 250, percent: 25, rate: 50 });
    tasks[1]!.progress({ loaded: 1000, percent: 100 / 3, rate: 100 });
    const snap = session.getSnapshot();
    expect(snap.status).toBe("uploading");
    expect(snap.items[0]).toMatchObject({
      state: "uploading",
      loaded: 250,
      percent: 25,
      rate: 50,
      secondsLeft: 15,
    });
    expect(snap.total).toMatchObject({ loaded: 1250, total: 4500, rate: 150, secondsLeft: 22 });
    expect(snap.announcement.text).toBe("b.mp4: 25% uploaded");

    tasks[0]!.finish();
    await tick();
    expect(tasks.map((t) => t.file.name)).toEqual(["a.mp4", "b.mp4", "c.mp4"]);
    expect(session.getSnapshot().items[0]).toMatchObject({ state: "done", percent: 100, rate: 0 });
    expect(session.getSnapshot().items[0]!.record?.id).toBe("id-a.mp4");
    expect(session.getSnapshot().announcement.text).toBe("a.mp4: uploaded and verified");
  });

  it("pauses, resumes and cancels one file or all; a cancelled queued file never starts", async () => {
    const { session, tasks } = setup();
    session.options = { parallel: 1 };
    session.add([file("a.mp4", 100), file("b.mp4", 100)]);
    const [a] = session.getSnapshot().items;
    tasks[0]!.progress({ loaded: 10, percent: 10, rate: 5 });
    session.pause(a!.id);
    expect(tasks[0]!.calls).toEqual(["pause"]);
    expect(session.getSnapshot().items[0]).toMatchObject({
      state: "paused",
      rate: 0,
      secondsLeft: undefined,
    });
    // A progress event after the pause (a part that was finishing) keeps it paused.
    tasks[0]!.progress({ loaded: 20, percent: 20, rate: 5 });
    expect(session.getSnapshot().items[0]!.state).toBe("paused");
    expect(session.getSnapshot().status).toBe("uploading");
    session.resume(a!.id);
    expect(tasks[0]!.calls).toEqual(["pause", "resume"]);
    expect(session.getSnapshot().items[0]!.state).toBe("uploading");

    session.cancel(session.getSnapshot().items[1]!.id);
    expect(session.getSnapshot().items[1]!.state).toBe("cancelled");
    session.cancel();
    await tick();
    expect(tasks[0]!.calls).toEqual(["pause", "resume", "abort"]);
    expect(session.getSnapshot().items.map((i) => i.state)).toEqual(["cancelled", "cancelled"]);
    expect(tasks).toHaveLength(1);
    expect(session.getSnapshot().status).toBe("idle");
  });

  it("a failure in plain words, then retry starts the file again", async () => {
    const { session, tasks } = setup();
    const errors: string[] = [];
    session.options = { onError: (e, f) => errors.push(`${f.name} ${e.serverCode}`) };
    session.add([file("big.mp4", 100)]);
    tasks[0]!.fail(
      new UploadError("GATEWAY", "too large", {
        status: 413,
        serverCode: "POLICY_TOO_LARGE",
        serverMessage: "big.mp4 is too large: 200 MB, limit 100 MB",
        file: "big.mp4",
      }),
    );
    await tick();
    const [item] = session.getSnapshot().items;
    expect(item).toMatchObject({ state: "failed", error: "big.mp4 is too large: 200 MB, limit 100 MB" });
    expect(item!.cause?.serverCode).toBe("POLICY_TOO_LARGE");
    expect(session.getSnapshot().status).toBe("failed");
    expect(session.getSnapshot().announcement.text).toBe("big.mp4 is too large: 200 MB, limit 100 MB");
    expect(errors).toEqual(["big.mp4 POLICY_TOO_LARGE"]);

    session.retry(item!.id);
    expect(tasks).toHaveLength(2);
    expect(session.getSnapshot().items[0]).toMatchObject({ id: item!.id, state: "hashing" });
    expect(session.getSnapshot().items[0]!.error).toBeUndefined();
    tasks[1]!.finish();
    await tick();
    expect(session.getSnapshot().items[0]!.state).toBe("done");
    session.clear();
    expect(session.getSnapshot().items).toEqual([]);
  });

  it("dispose (unmount) cancels every running upload", async () => {
    const { session, tasks } = setup();
    session.add([file("a.mp4", 100), file("b.mp4", 100)]);
    tasks[1]!.finish();
    await tick();
    session.dispose();
    await tick();
    expect(tasks[0]!.calls).toEqual(["abort"]);
    expect(tasks[1]!.calls).toEqual([]);
  });

  it("offers the route's unfinished uploads the gateway still holds open; resumes only with the same file", async () => {
    const record = (name: string, route: string): ResumeRecord => ({
      key: JSON.stringify(["upgate-resume-2", name, 30, 1000, "fp"]),
      id: `up-${name}`,
      route,
      uploadId: "mp",
      objectKey: "k",
      partSize: 10,
      sizes: [10, 10, 10],
      etags: { "1": '"e1"', "3": '"e3"' },
      expiresAt: "2026-01-01T00:05:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
    const { session, tasks, aborted, listed, stateStore } = setup(
      [record("movie.mp4", "videos"), record("other-route.mp4", "images"), record("swept.mp4", "videos")],
      ["up-movie.mp4", "up-later.mp4"],
    );
    session.activate();
    await vi.waitFor(() => expect(session.getSnapshot().offers).toHaveLength(1));
    const snap = session.getSnapshot();
    expect(snap.route).toEqual(ROUTE);
    expect(listed).toEqual([{ route: "videos", status: "pending" }]);
    expect(snap.offers.map((o) => [o.name, o.size, o.stored, o.percent])).toEqual([
      ["movie.mp4", 30, 20, 66],
    ]);
    // The gateway no longer holds swept.mp4 open: its record is gone; another route's is kept.
    expect(await stateStore.get(record("swept.mp4", "videos").key)).toBeUndefined();
    expect(await stateStore.get(record("other-route.mp4", "images").key)).toBeDefined();

    const offer = snap.offers[0]!;
    expect(session.resumeOffer(offer, file("movie.mp4", 30, 999))).toBe(
      "movie.mp4 is not the unfinished movie.mp4: pick that file to resume it",
    );
    expect(tasks).toHaveLength(0);
    expect(session.resumeOffer(offer, file("movie.mp4", 30))).toBeUndefined();
    expect(tasks.map((t) => t.file.name)).toEqual(["movie.mp4"]);
    expect(session.getSnapshot().offers).toEqual([]);

    // Dismissing forgets the record and deletes the upload at the gateway.
    await stateStore.put(record("later.mp4", "videos"));
    tasks[0]!.finish();
    await vi.waitFor(() => expect(session.getSnapshot().offers.map((o) => o.name)).toEqual(["later.mp4"]));
    const later = session.getSnapshot().offers[0]!;
    await session.dismissOffer(later);
    expect(aborted).toEqual(["up-later.mp4"]);
    expect(await stateStore.get(later.key)).toBeUndefined();
    expect(session.getSnapshot().offers).toEqual([]);
  });

  it("offers every record of the route when the gateway cannot list (an anonymous route)", async () => {
    const record: ResumeRecord = {
      key: JSON.stringify(["upgate-resume-2", "clip.mp4", 20, 5, "fp"]),
      id: "up-clip",
      route: "videos",
      uploadId: "mp",
      objectKey: "k",
      partSize: 10,
      sizes: [10, 10],
      etags: {},
      expiresAt: "2026-01-01T00:05:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    const { session, stateStore } = setup([record], undefined);
    session.activate();
    await vi.waitFor(() =>
      expect(session.getSnapshot().offers.map((o) => [o.name, o.percent])).toEqual([["clip.mp4", 0]]),
    );
    expect(await stateStore.get(record.key)).toBeDefined();
  });
});
