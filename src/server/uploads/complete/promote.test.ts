import { describe, expect, it } from "vitest";
import type { Services } from "../../context.js";
import type { UploadRow } from "../../ledger/types.js";
import { type CopyOptions, type StorageClient, type StorageConfig, StorageError } from "../../s3/types.js";
import { plannedHeaders, promote, promotedKey } from "./promote.js";

const row = {
  id: "up1",
  userId: "ada lovelace",
  key: "forms/ada/aaaaaaaaaaaaaaaaaaaaaaaaaa.png",
  declaredType: "image/png",
  declaredSize: 4,
  metadata: { album: "summer" },
} as unknown as UploadRow;
const want = {
  key: row.key,
  size: 4,
  type: "image/png",
  metadata: { "upgate-user": "ada%20lovelace", "upgate-upload": "up1" },
  sniff: false,
};

function services(
  copy: (src: string, dst: string, opts?: CopyOptions) => Promise<{ etag: string }>,
  headEtag = '"v1"',
  config: Partial<StorageConfig> = {},
) {
  const deleted: string[] = [];
  const copies: Array<[string, string, CopyOptions | undefined]> = [];
  const storage = {
    config,
    async copy(src: string, dst: string, opts?: CopyOptions) {
      copies.push([src, dst, opts]);
      return copy(src, dst, opts);
    },
    async head() {
      return {
        size: 4,
        contentType: "image/png",
        etag: headEtag,
        lastModified: new Date(),
        metadata: want.metadata,
        checksums: {},
        system: {},
      };
    },
    async delete(key: string) {
      deleted.push(key);
    },
  } as unknown as StorageClient;
  const s = { storage, log: { warn() {} } } as unknown as Services;
  return { s, deleted, copies };
}

describe("promotedKey", () => {
  it("is a fresh 128-bit name with the verified type's extension in the same folder", () => {
    const key = promotedKey(row.key, "image/png");
    expect(key).toMatch(/^forms\/ada\/[a-z2-7]{26}\.png$/);
    expect(key).not.toBe(row.key);
    expect(promotedKey("flat", "text/plain")).toMatch(/^[a-z2-7]{26}\.txt$/);
  });
});

describe("promote", () => {
  it("copies if the source still has the verified ETag, replacing every header with the planned ones", async () => {
    const { s, copies } = services(async () => ({ etag: '"v1"' }));
    const promoted = await promote(s, row, want, { type: "image/png", etag: '"v1"' });
    expect(promoted).toMatchObject({ etag: '"v1"' });
    expect(copies[0]![2]).toEqual({ ifMatch: '"v1"', replaceHeaders: plannedHeaders(row) });
    expect(plannedHeaders(row)).toEqual({
      "content-type": "image/png",
      "x-amz-meta-album": "summer",
      "x-amz-meta-upgate-user": "ada%20lovelace",
      "x-amz-meta-upgate-upload": "up1",
    });
  });

  it("gives the copy storage.acl when it is set, as every upload gets it", async () => {
    const { s, copies } = services(async () => ({ etag: '"v1"' }), '"v1"', { acl: "private" });
    await promote(s, row, want, { type: "image/png", etag: '"v1"' });
    expect(copies[0]![2]?.replaceHeaders).toEqual({ ...plannedHeaders(row), "x-amz-acl": "private" });
  });

  it("a failed precondition (the form was posted again) is `changed`", async () => {
    const { s } = services(async () => {
      throw new StorageError("PreconditionFailed", 412, "no");
    });
    expect(await promote(s, row, want, { type: "image/png", etag: '"v1"' })).toEqual({ changed: true });
  });

  it("a copy with another ETag (a store that ignores the precondition) is verified again where it is", async () => {
    const kept = services(async () => ({ etag: '"kms-etag"' }), '"kms-etag"');
    const promoted = await promote(kept.s, row, want, { type: "image/png", etag: '"v1"' });
    expect(promoted).toMatchObject({ etag: '"kms-etag"' });
    expect(kept.deleted).toEqual([]);

    const bad = services(async () => ({ etag: '"v2"' }));
    (bad.s.storage as { head: unknown }).head = async () => ({
      size: 5,
      contentType: "image/png",
      etag: '"v2"',
      lastModified: new Date(),
      metadata: want.metadata,
      checksums: {},
      system: {},
    });
    expect(await promote(bad.s, row, want, { type: "image/png", etag: '"v1"' })).toEqual({ changed: true });
    expect(bad.deleted).toEqual([bad.copies[0]![1]]);
  });
});
