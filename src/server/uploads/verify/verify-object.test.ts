import { describe, expect, it } from "vitest";
import { type ObjectHead, type StorageClient, StorageError } from "../../s3/types.js";
import { verifyObject } from "./verify-object.js";

const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const META = { "upgate-user": "u", "upgate-upload": "up1" };

function storage(
  system: Record<string, string>,
  read: () => Promise<Uint8Array>,
  metadata: Record<string, string> = META,
) {
  const reads: Array<string | undefined> = [];
  const head: ObjectHead = {
    size: PNG.length,
    contentType: "image/png",
    etag: '"v1"',
    lastModified: new Date(),
    metadata,
    checksums: {},
    system,
  };
  const client = {
    head: async () => head,
    getRange: async (_key: string, _start: number, _end: number, options?: { ifMatch?: string }) => {
      reads.push(options?.ifMatch);
      return read();
    },
  } as unknown as StorageClient;
  return { client, reads };
}

const want = { key: "k", size: PNG.length, type: "image/png", metadata: META, sniff: true };

describe("verifyObject", () => {
  it("reads only the version the HEAD saw (If-Match on its ETag)", async () => {
    const s = storage({}, async () => PNG);
    expect(await verifyObject(s.client, want)).toMatchObject({ ok: true, etag: '"v1"' });
    expect(s.reads).toEqual(['"v1"']);
  });

  it("a 412 on a read is the UPLOAD_CHANGED verdict, not a storage failure", async () => {
    const s = storage({}, async () => {
      throw new StorageError(
        "PreconditionFailed",
        412,
        "At least one of the pre-conditions you specified did not hold",
      );
    });
    expect(await verifyObject(s.client, want)).toMatchObject({ ok: false, code: "UPLOAD_CHANGED" });
  });

  it("refuses a stored header the gateway did not plan before reading a byte", async () => {
    const s = storage({ "content-encoding": "br" }, async () => PNG);
    expect(await verifyObject(s.client, want)).toMatchObject({
      ok: false,
      code: "VERIFY_HEADER_MISMATCH",
      details: { header: "content-encoding", actual: "br" },
    });
    expect(s.reads).toEqual([]);
  });

  it("refuses user metadata the gateway did not sign (an x-amz-meta-* added to the PUT) before reading a byte", async () => {
    const s = storage({}, async () => PNG, { ...META, evil: "1" });
    expect(await verifyObject(s.client, want)).toMatchObject({
      ok: false,
      code: "VERIFY_METADATA_MISMATCH",
      details: { name: "evil", expected: null, actual: "1" },
    });
    expect(s.reads).toEqual([]);
  });

  it("takes the client's and route's metadata when it is exactly what was signed", async () => {
    const planned = { ...META, album: "summer" };
    expect(
      await verifyObject(storage({}, async () => PNG, planned).client, { ...want, metadata: planned }),
    ).toMatchObject({ ok: true });
    const missing = await verifyObject(storage({}, async () => PNG).client, { ...want, metadata: planned });
    expect(missing).toMatchObject({
      ok: false,
      code: "VERIFY_METADATA_MISMATCH",
      details: { name: "album", expected: "summer", actual: null },
    });
  });
});
