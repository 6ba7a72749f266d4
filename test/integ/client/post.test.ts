import { afterEach, describe, expect, it } from "vitest";
import type { UploadProgress } from "../../../src/client/index.js";
import { getBytes } from "./support/s3.js";
import { type ClientRig, fileBytes, randomFile, startRig } from "./support/setup.js";

describe("client: browser form POST against the embedded store", () => {
  let rig: ClientRig;
  afterEach(async () => {
    await rig?.close();
  });

  it("sends the policy fields in order and the file last; storage accepts it and complete verifies", async () => {
    rig = await startRig({ strategy: "post" });
    const file = randomFile(123_456, "report.pdf", "application/pdf");
    const events: UploadProgress[] = [];
    const [record] = await rig.uploader.upload(file, { route: "files", onProgress: (p) => events.push(p) });
    expect(record).toMatchObject({ status: "verified", size: 123_456, type: "application/pdf" });
    expect(await getBytes(rig.store, record!.key)).toEqual(await fileBytes(file));
    expect(rig.transport.sent).toEqual([{ method: "POST", partNumber: undefined, status: 204 }]);
    expect(events.at(-1)).toMatchObject({ loaded: 123_456, percent: 100, phase: "done" });
  });

  it("a body of another size is refused by the policy's content-length-range", async () => {
    rig = await startRig({ strategy: "post" });
    const file = randomFile(5000, "a.bin");
    // Declare 5000 bytes, then send 4000: storage enforces the signed range.
    class Shrunk extends File {
      override slice(): Blob {
        return new Blob([new Uint8Array(4000)]);
      }
    }
    const shrunk = new Shrunk([await fileBytes(file)], "a.bin");
    rig.transport.before = (request) => {
      const form = request.body as FormData;
      form.set("file", new Blob([new Uint8Array(4000)]), "a.bin");
    };
    const err = await rig.uploader.upload(shrunk, { route: "files" }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "STORAGE",
      status: 400,
      serverCode: "EntityTooSmall",
      retryable: false,
    });
  });
});
