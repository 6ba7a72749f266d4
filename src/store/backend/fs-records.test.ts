import { describe, expect, it } from "vitest";
import { objectRecordJson, parseObjectRecord, parseUpload } from "./fs-records.js";

/** Records as the store wrote them before it kept checksum types and part checksums. */
const OLD_MULTIPART_OBJECT = {
  key: "video.mp4",
  size: 8,
  lastModified: "2026-11-01T10:00:00.000Z",
  etag: '"abc-2"',
  contentType: "video/mp4",
  metadata: {},
  checksums: { sha256: "c2hhMjU2-2" },
  headers: {},
  partsCount: 2,
  completedUpload: "u".repeat(32),
  blob: { id: "0123456789abcdef0123456789abcdef", partSizes: [5, 3] },
};
const OLD_UPLOAD = {
  uploadId: "u".repeat(32),
  bucket: "b",
  key: "video.mp4",
  initiated: "2026-11-01T09:00:00.000Z",
  attributes: { etag: "", contentType: "video/mp4", metadata: {}, checksums: {}, headers: {} },
};

describe("fs records", () => {
  it("load records written before checksum types were kept", () => {
    const { meta } = parseObjectRecord(OLD_MULTIPART_OBJECT, 0, "old");
    expect(meta).toMatchObject({ size: 8, partSizes: [5, 3], checksums: { sha256: "c2hhMjU2-2" } });
    expect(meta.checksumType).toBeUndefined();
    expect(meta.partChecksums).toBeUndefined();
    const upload = parseUpload(OLD_UPLOAD, "old");
    expect(upload.attributes.checksumAlgorithm).toBeUndefined();
    expect(upload.attributes.checksumType).toBeUndefined();
  });

  it("round-trip the checksum type and part checksums, and refuse malformed ones", () => {
    const record = parseObjectRecord(
      {
        ...OLD_MULTIPART_OBJECT,
        checksumAlgorithm: "sha256",
        checksumType: "COMPOSITE",
        partChecksums: [{ sha256: "cA==" }, { sha256: "cQ==" }],
      },
      0,
      "new",
    );
    expect(record.meta).toMatchObject({
      checksumAlgorithm: "sha256",
      checksumType: "COMPOSITE",
      partChecksums: [{ sha256: "cA==" }, { sha256: "cQ==" }],
    });
    expect(parseObjectRecord(JSON.parse(JSON.stringify(objectRecordJson(record))), 0, "again")).toEqual(
      record,
    );
    expect(() => parseObjectRecord({ ...OLD_MULTIPART_OBJECT, checksumType: "PARTIAL" }, 0, "bad")).toThrow(
      /checksumType/,
    );
    expect(() =>
      parseObjectRecord({ ...OLD_MULTIPART_OBJECT, partChecksums: [{ sha256: "x" }] }, 0, "bad"),
    ).toThrow(/partChecksums/);
    expect(() =>
      parseObjectRecord({ ...OLD_MULTIPART_OBJECT, partChecksums: [{ sha256: 1 }, {}] }, 0, "bad"),
    ).toThrow(/corrupt/);
  });
});
