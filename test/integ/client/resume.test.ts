import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { UploadProgress } from "../../../src/client/index.js";
import { resumeKey } from "../../../src/client/state/key.js";
import { editedCopy, interruptAfterTwoParts } from "./support/resume.js";
import { getBytes } from "./support/s3.js";
import { type ClientRig, fileBytes, MIB, randomFile, startRig } from "./support/setup.js";

async function until(condition: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("base64");

describe("client: resume after a reload", () => {
  let rig: ClientRig;
  afterEach(async () => {
    await rig?.close();
  });

  it("sends only the parts storage lacks, completing the same upload", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { retry: { retries: 0 } });
    const file = randomFile(12 * MIB, "video.mp4", "video/mp4");
    await interruptAfterTwoParts(rig, file);
    const creates = () => rig.gateway.calls.filter((c) => c.path === "/v1/uploads").length;
    expect(creates()).toBe(1);

    const page2 = rig.reload();
    const events: UploadProgress[] = [];
    const [record] = await page2.upload(file, { route: "files", onProgress: (p) => events.push(p) });
    expect(record!.status).toBe("verified");
    expect(rig.transport.sent.map((s) => s.partNumber)).toEqual([3]);
    expect(creates()).toBe(1);
    expect(sha((await getBytes(rig.store, record!.key))!)).toBe(sha(await fileBytes(file)));
    // Progress starts at the resumed bytes and rises to the end.
    const uploading = events.filter((e) => e.phase !== "hashing");
    expect(uploading[0]!.loaded).toBe(10 * MIB);
    expect(events.at(-1)).toMatchObject({ loaded: 12 * MIB, percent: 100 });
    expect(rig.state.size).toBe(0);
  });

  it("asks the gateway rather than trusting local ETags: a part the record claims but storage lacks is sent", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { retry: { retries: 0 } });
    const file = randomFile(12 * MIB, "a.bin");
    await interruptAfterTwoParts(rig, file);
    const key = resumeKey(
      { name: "a.bin", size: 12 * MIB, lastModified: file.lastModified },
      sha(await fileBytes(file)),
    );
    const record = (await rig.state.get(key))!;
    expect(Object.keys(record.etags).sort()).toEqual(["1", "2"]);
    // Local state now claims part 3 too (a lie) and forgets part 1 (it is in storage all the same).
    record.etags = { "2": record.etags["2"]!, "3": '"00000000000000000000000000000000"' };
    await rig.state.put(record);

    const [done] = await rig.reload().upload(file, { route: "files" });
    expect(done!.status).toBe("verified");
    expect(rig.transport.sent.map((s) => s.partNumber)).toEqual([3]);
  });

  it("starts over cleanly when the gateway says the saved upload is gone", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { retry: { retries: 0 } });
    const file = randomFile(12 * MIB, "b.bin");
    await interruptAfterTwoParts(rig, file);
    // The sweeper (or another tab) aborted it in the meantime.
    const [old] = [...rig.gateway.uploads.values()];
    await rig.gateway.fetch(
      new Request(`${rig.gateway.endpoint}/v1/uploads/${old!.record.id}`, { method: "DELETE" }),
    );

    const [record] = await rig.reload().upload(file, { route: "files" });
    expect(record!.status).toBe("verified");
    expect(record!.id).not.toBe(old!.record.id);
    expect(rig.transport.storedParts().sort()).toEqual([1, 2, 3]);
    expect(rig.gateway.calls.filter((c) => c.path === "/v1/uploads")).toHaveLength(2);
  });

  it("does not resume for a different file with the same name and size", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { retry: { retries: 0 } });
    await interruptAfterTwoParts(rig, randomFile(12 * MIB, "c.bin", "application/octet-stream", 1));
    const other = randomFile(12 * MIB, "c.bin", "application/octet-stream", 2);
    const [record] = await rig.reload().upload(other, { route: "files" });
    expect(record!.status).toBe("verified");
    expect(rig.transport.storedParts().sort()).toEqual([1, 2, 3]);
    expect(rig.state.size).toBe(1); // the first file's record stays, for its own resume
  });

  it("resumes after a pause: paused requests are cut and sent again, nothing else is", async () => {
    rig = await startRig({ strategy: "multipart", partSize: 5 * MIB }, { concurrency: 1 });
    const file = randomFile(12 * MIB, "p.bin");
    let task: ReturnType<ClientRig["uploader"]["start"]> | undefined;
    let paused = false;
    rig.transport.before = (_request, n) => {
      if (n === 2 && !paused) {
        paused = true;
        task!.pause();
      }
    };
    const events: UploadProgress[] = [];
    task = rig.uploader.start(file, { route: "files", onProgress: (p) => events.push(p) });
    await until(() => task!.state === "paused");
    const sentWhilePaused = rig.transport.sent.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(rig.transport.sent.length).toBe(sentWhilePaused);
    task.resume();
    const [record] = await task.done;
    expect(record!.status).toBe("verified");
    expect(task.state).toBe("done");
    const attempts = rig.transport.sent.map((s) => [s.partNumber, s.status]);
    expect(attempts).toEqual([
      [1, 200],
      [2, "failed"],
      [2, 200],
      [3, 200],
    ]);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
    expect(rig.sleeps).toHaveLength(0);
  });

  // Above 64 MiB the file is not hashed whole (the key holds its first 4 MiB's hash), so a file
  // edited after its first 4 MiB finds the record, and only the part hashes tell the difference.
  // Where storage keeps part checksums they are compared; where it keeps none, the record's are.
  it.each([
    [
      "hashes every stored part again: a part whose bytes changed since is sent again, the rest kept",
      { hidePartChecksums: false, fileName: "edit.bin" },
    ],
    [
      "on storage that keeps no part checksums, compares with the hashes recorded when the parts were sent",
      { hidePartChecksums: true, fileName: "ceph.bin" },
    ],
  ] as const)("%s", async (_name, { hidePartChecksums, fileName }) => {
    rig = await startRig(
      { strategy: "multipart", partSize: 32 * MIB, hidePartChecksums },
      { retry: { retries: 0 } },
    );
    const file = randomFile(70 * MIB, fileName);
    await interruptAfterTwoParts(rig, file);
    const { file: edited, bytes } = await editedCopy(file, 40 * MIB, 41 * MIB);

    const [record] = await rig.reload().upload(edited, { route: "files" });
    expect(record!.status).toBe("verified");
    expect(rig.transport.sent.map((s) => s.partNumber).sort()).toEqual([2, 3]);
    expect(sha((await getBytes(rig.store, record!.key))!)).toBe(sha(bytes));
  });

  it("without any hash to compare with (a record from an older client, storage keeping none), sends every part again", async () => {
    rig = await startRig(
      { strategy: "multipart", partSize: 32 * MIB, hidePartChecksums: true },
      { retry: { retries: 0 } },
    );
    const file = randomFile(70 * MIB, "old.bin");
    await interruptAfterTwoParts(rig, file);
    const key = resumeKey(
      { name: "old.bin", size: 70 * MIB, lastModified: file.lastModified },
      sha((await fileBytes(file)).subarray(0, 4 * MIB)),
    );
    const saved = (await rig.state.get(key))!;
    expect(Object.keys(saved.sha256s ?? {}).length).toBeGreaterThanOrEqual(2);
    delete saved.sha256s;
    await rig.state.put(saved);

    const [record] = await rig.reload().upload(file, { route: "files" });
    expect(record!.status).toBe("verified");
    expect(rig.transport.sent.map((s) => s.partNumber).sort()).toEqual([1, 2, 3]);
    expect(rig.gateway.calls.filter((c) => c.path === "/v1/uploads")).toHaveLength(1);
  });
});
