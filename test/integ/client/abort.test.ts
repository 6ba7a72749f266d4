import { afterEach, describe, expect, it } from "vitest";
import { describeError } from "../../../src/client/index.js";
import { headSize, listStoredParts } from "./support/s3.js";
import { type ClientRig, MIB, randomFile, startRig } from "./support/setup.js";

describe("client: abort", () => {
  let rig: ClientRig;
  afterEach(async () => {
    await rig?.close();
  });

  it("task.abort() stops the parts, calls DELETE, and storage no longer has the multipart upload", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { concurrency: 1 });
    let task: ReturnType<ClientRig["uploader"]["start"]> | undefined;
    let aborted: Promise<void> | undefined;
    rig.transport.before = (_request, n) => {
      if (n === 2) aborted ??= task!.abort();
    };
    task = rig.uploader.start(randomFile(12 * MIB, "big.iso"), { route: "files" });
    const err = await task.done.catch((e: unknown) => e);
    await aborted;
    expect(err).toMatchObject({ code: "ABORTED", retryable: false });
    expect(describeError(err)).toBe("upload cancelled");
    expect(task.state).toBe("aborted");
    const [upload] = [...rig.gateway.uploads.values()];
    expect(rig.gateway.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      `/v1/uploads/${upload!.record.id}`,
    ]);
    expect(upload!.record.status).toBe("aborted");
    expect(await listStoredParts(rig.store, upload!.record.key, upload!.uploadId!)).toEqual([]);
    expect(rig.transport.storedParts()).toEqual([1]);
    expect(rig.state.size).toBe(0);
  });

  it("uploader.abort(id) aborts the task holding that upload; a signal aborts too", async () => {
    rig = await startRig({ strategy: "put" });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    rig.transport.before = () => held;
    const task = rig.uploader.start(randomFile(1000, "x.txt"), { route: "files" });
    while (task.uploadIds.length === 0) await new Promise((r) => setTimeout(r, 5));
    const id = task.uploadIds[0]!;
    const aborting = rig.uploader.abort(id);
    release();
    await aborting;
    await expect(task.done).rejects.toMatchObject({ code: "ABORTED" });
    expect(rig.gateway.uploads.get(id)!.record.status).toBe("aborted");
    expect(await headSize(rig.store, rig.gateway.uploads.get(id)!.record.key)).toBeUndefined();

    rig.transport.before = undefined;
    const controller = new AbortController();
    controller.abort();
    await expect(
      rig.uploader.upload(randomFile(10), { route: "files", signal: controller.signal }),
    ).rejects.toMatchObject({ code: "ABORTED" });
  });

  it("uploader.pause() holds every task and uploader.resume() lets them finish", async () => {
    rig = await startRig({ strategy: "put" });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = 0;
    rig.transport.before = async () => {
      holding++;
      await held;
    };
    const a = rig.uploader.start(randomFile(2000, "a.txt"), { route: "files" });
    const b = rig.uploader.start(randomFile(3000, "b.txt"), { route: "files" });
    while (holding < 2) await new Promise((r) => setTimeout(r, 5));
    rig.uploader.pause();
    expect([a.state, b.state]).toEqual(["paused", "paused"]);
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(rig.transport.sent.map((s) => s.status)).toEqual(["failed", "failed"]);
    rig.transport.before = undefined;
    rig.uploader.resume();
    const [[ra], [rb]] = await Promise.all([a.done, b.done]);
    expect([ra!.status, rb!.status, a.state, b.state]).toEqual(["verified", "verified", "done", "done"]);
    expect(rig.transport.sent.map((s) => s.status)).toEqual(["failed", "failed", 200, 200]);
  });

  it("an idle upload id (after a reload) is deleted directly", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { retry: { retries: 0 } });
    rig.transport.before = (_request, n) => {
      if (n === 2) throw new Error("offline");
    };
    await rig.uploader.upload(randomFile(11 * MIB), { route: "files" }).catch(() => {});
    const [upload] = [...rig.gateway.uploads.values()];
    expect(upload!.record.status).toBe("pending");
    await rig.reload().abort(upload!.record.id);
    expect(upload!.record.status).toBe("aborted");
  });
});
