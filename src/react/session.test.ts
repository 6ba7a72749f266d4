import { describe, expect, it, vi } from "vitest";
import { FakeUploadTask } from "../../test/support/fake-upload-task.js";
import { routeInfo } from "../../test/support/route-info.js";
import { type ResumableUpload, UploadError, type Uploader, type UploadOptions } from "../client/index.js";
import { UploadSession } from "./session.js";

const ROUTE = routeInfo({
  name: "videos",
  label: "Videos",
  types: [{ type: "video/mp4", label: "MP4 video", extensions: [".mp4"] }],
  maxSize: 100 * 1024 * 1024,
  maxFiles: 5,
});

/** `resumable`: what uploader.resumable() answers (undefined: it fails). */
function setup(resumable: ResumableUpload[] | undefined = []) {
  const tasks: FakeUploadTask[] = [];
  const aborted: string[] = [];
  const hashChecks: string[] = [];
  let sameHash = true;
  const uploader = {
    start(file: File, options: UploadOptions) {
      const task = new FakeUploadTask(file, options);
      tasks.push(task);
      return task;
    },
    abort: async (id?: string) => {
      aborted.push(id ?? "*");
    },
    resumable: async () => {
      if (!resumable) throw new UploadError("NETWORK", "offline", { retryable: true });
      return resumable;
    },
    isSameFile: async (file: File, upload: ResumableUpload) => {
      hashChecks.push(`${file.name} ${upload.id}`);
      return sameHash;
    },
  } as unknown as Uploader;
  const session = new UploadSession({ uploader, routes: async () => [ROUTE] }, "videos");
  let changes = 0;
  session.subscribe(() => changes++);
  return {
    session,
    tasks,
    aborted,
    hashChecks,
    changes: () => changes,
    setSameHash: (value: boolean) => {
      sameHash = value;
    },
  };
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

  it("offers the route's resumable uploads with the percent stored; resumes only with the same file", async () => {
    const upload = (name: string, route: string): ResumableUpload => ({
      id: `up-${name}`,
      route,
      name,
      size: 30,
      lastModified: 1000,
      storedBytes: 20,
      expiresAt: "2026-01-01T00:05:00.000Z",
      key: `key-${name}`,
    });
    const { session, tasks, aborted, hashChecks, setSameHash } = setup([
      upload("movie.mp4", "videos"),
      upload("photo.png", "images"),
      upload("later.mp4", "videos"),
    ]);
    session.activate();
    await vi.waitFor(() => expect(session.getSnapshot().offers).toHaveLength(2));
    const snap = session.getSnapshot();
    expect(snap.route).toEqual(ROUTE);
    expect(snap.offers.map((o) => [o.name, o.size, o.storedBytes, o.percent])).toEqual([
      ["movie.mp4", 30, 20, 66],
      ["later.mp4", 30, 20, 66],
    ]);

    const offer = snap.offers[0]!;
    const refusal = "movie.mp4 is not the unfinished movie.mp4: pick that file to resume it";
    // Another modification time: refused without hashing.
    expect(await session.resumeOffer(offer, file("movie.mp4", 30, 999))).toBe(refusal);
    expect(hashChecks).toEqual([]);
    // Same name, size and time, other content: the client's hash check refuses it.
    setSameHash(false);
    expect(await session.resumeOffer(offer, file("movie.mp4", 30))).toBe(refusal);
    expect(session.getSnapshot().announcement.text).toBe(refusal);
    expect(tasks).toHaveLength(0);
    setSameHash(true);
    expect(await session.resumeOffer(offer, file("movie.mp4", 30))).toBeUndefined();
    expect(hashChecks).toEqual(["movie.mp4 up-movie.mp4", "movie.mp4 up-movie.mp4"]);
    expect(tasks.map((t) => t.file.name)).toEqual(["movie.mp4"]);
    expect(session.getSnapshot().offers.map((o) => o.name)).toEqual(["later.mp4"]);

    // Settled, the file stays in the list (with its own retry): still not offered.
    tasks[0]!.fail(new UploadError("NETWORK", "offline", { retryable: true, file: "movie.mp4" }));
    await tick();
    await vi.waitFor(() => expect(session.getSnapshot().offers.map((o) => o.name)).toEqual(["later.mp4"]));

    await session.dismissOffer(session.getSnapshot().offers[0]!);
    expect(aborted).toEqual(["up-later.mp4"]);
    expect(session.getSnapshot().offers).toEqual([]);
  });

  it("offers nothing, quietly, when the uploads cannot be listed", async () => {
    const { session } = setup(undefined);
    session.activate();
    await tick();
    await tick();
    expect(session.getSnapshot().offers).toEqual([]);
    expect(session.getSnapshot().route).toEqual(ROUTE);
  });
});
