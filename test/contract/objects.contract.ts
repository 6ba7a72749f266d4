import { beforeEach, describe, expect, test } from "vitest";
import {
  attributesFor,
  BUCKET,
  type Harness,
  md5Etag,
  patternBytes,
  putCommitted,
  putObject,
  readAll,
  readBody,
} from "./support.js";

export function objectContract(h: Harness): void {
  describe("objects", () => {
    beforeEach(async () => {
      await h.backend.createBucket(BUCKET);
    });

    test("put, head and read round-trip the bytes and every attribute", async () => {
      const body = patternBytes(200_000);
      const attributes = {
        contentType: "image/png",
        metadata: { "upgate-user": "u-1", "upgate-upload": "up-9", note: "héllo wörld" },
        checksums: { sha256: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=", crc32: "AAAAAA==" },
        headers: { "cache-control": "no-store", "content-disposition": 'attachment; filename="a.png"' },
      };
      const before = Date.now();
      const meta = await putCommitted(h.backend, "photos/a.png", body, { attributes, chunkSize: 7_000 });
      const expected = { key: "photos/a.png", size: body.length, etag: md5Etag(body), ...attributes };
      expect(meta).toMatchObject(expected);
      expect(meta.lastModified).toBeInstanceOf(Date);
      expect(meta.lastModified.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(meta.lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(meta.partsCount).toBeUndefined();

      expect(await h.backend.headObject(BUCKET, "photos/a.png")).toEqual(meta);
      const read = await h.backend.readObject(BUCKET, "photos/a.png");
      expect(read?.meta).toEqual(meta);
      expect((await readAll(read!.body)).equals(body)).toBe(true);
    });

    test("an empty object", async () => {
      const meta = await putCommitted(h.backend, "empty", Buffer.alloc(0));
      expect(meta.size).toBe(0);
      expect(meta.etag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
      expect((await readBody(h.backend, "empty"))?.length).toBe(0);
      const ranged = await h.backend.readObject(BUCKET, "empty", { start: 0, end: 10 });
      expect((await readAll(ranged!.body)).length).toBe(0);
    });

    test("ranges are inclusive; the end is clamped to the last byte; a start past the end reads nothing", async () => {
      const body = patternBytes(3 * 65_536 + 17);
      await putCommitted(h.backend, "ranged", body, { chunkSize: 65_536 });
      const cases: [number, number, Buffer][] = [
        [0, 0, body.subarray(0, 1)],
        [2, 5, body.subarray(2, 6)],
        [65_530, 131_080, body.subarray(65_530, 131_081)],
        [body.length - 1, body.length - 1, body.subarray(body.length - 1)],
        [100, body.length + 5000, body.subarray(100)],
        [body.length, body.length + 10, Buffer.alloc(0)],
      ];
      for (const [start, end, expected] of cases) {
        const read = await h.backend.readObject(BUCKET, "ranged", { start, end });
        expect(read?.meta.size, `${start}-${end}`).toBe(body.length);
        expect((await readAll(read!.body)).equals(expected), `${start}-${end}`).toBe(true);
      }
    });

    test("an overwrite replaces the bytes and all the metadata", async () => {
      await putCommitted(h.backend, "k", "first version, longer", {
        attributes: {
          contentType: "text/plain",
          metadata: { a: "1" },
          headers: { "content-language": "en" },
        },
      });
      const second = await putCommitted(h.backend, "k", "second", {
        attributes: { contentType: "text/csv", metadata: { b: "2" }, checksums: { sha1: "x" } },
      });
      const head = await h.backend.headObject(BUCKET, "k");
      expect(head).toEqual(second);
      expect(head).toMatchObject({
        size: 6,
        contentType: "text/csv",
        metadata: { b: "2" },
        headers: {},
        checksums: { sha1: "x" },
      });
      expect((await readBody(h.backend, "k"))?.toString()).toBe("second");
      expect((await h.backend.listObjects(BUCKET, { limit: 10 })).objects).toEqual([second]);
    });

    test("delete removes the object; a second delete finds nothing", async () => {
      await putCommitted(h.backend, "gone", "bytes");
      await putCommitted(h.backend, "kept", "bytes");
      expect(await h.backend.deleteObject(BUCKET, "gone")).toBe(true);
      expect(await h.backend.deleteObject(BUCKET, "gone")).toBe(false);
      expect(await h.backend.deleteObject(BUCKET, "never")).toBe(false);
      expect(await h.backend.deleteObject("missing-bucket", "gone")).toBe(false);
      expect(await h.backend.headObject(BUCKET, "gone")).toBeUndefined();
      expect(await h.backend.readObject(BUCKET, "gone")).toBeUndefined();
      expect((await h.backend.listObjects(BUCKET, { limit: 10 })).objects.map((o) => o.key)).toEqual([
        "kept",
      ]);
    });

    test("missing objects and buckets", async () => {
      expect(await h.backend.headObject(BUCKET, "nope")).toBeUndefined();
      expect(await h.backend.readObject(BUCKET, "nope")).toBeUndefined();
      expect(await h.backend.headObject("missing-bucket", "nope")).toBeUndefined();
      expect(await h.backend.readObject("missing-bucket", "nope")).toBeUndefined();
      expect(await h.backend.stageObject("missing-bucket", "k")).toBeUndefined();
      await expect(h.backend.listObjects("missing-bucket", { limit: 1 })).rejects.toMatchObject({
        code: "NoSuchBucket",
      });
    });

    test("a commit after the bucket was deleted is refused", async () => {
      const staged = await h.backend.stageObject(BUCKET, "late");
      await staged!.write(Buffer.from("late bytes"));
      expect(await h.backend.deleteBucket(BUCKET)).toBe("deleted");
      expect(await staged!.commit(attributesFor(Buffer.from("late bytes")))).toBe("no-such-bucket");
      await staged!.abort();
      await h.backend.createBucket(BUCKET);
      expect(await h.backend.headObject(BUCKET, "late")).toBeUndefined();
    });

    test("nothing staged is visible before commit, and an aborted object never appears", async () => {
      await putCommitted(h.backend, "k", "committed");
      const staged = await h.backend.stageObject(BUCKET, "k");
      await staged!.write(Buffer.from("staged bytes"));
      const fresh = await h.backend.stageObject(BUCKET, "new");
      await fresh!.write(Buffer.from("staged bytes"));

      expect((await readBody(h.backend, "k"))?.toString()).toBe("committed");
      expect(await h.backend.headObject(BUCKET, "new")).toBeUndefined();

      await staged!.abort();
      await staged!.abort();
      await fresh!.abort();
      await expect(staged!.write(Buffer.from("more"))).rejects.toThrow();
      await expect(staged!.commit(attributesFor(Buffer.alloc(0)))).rejects.toThrow();
      expect((await readBody(h.backend, "k"))?.toString()).toBe("committed");
      expect(await h.backend.headObject(BUCKET, "new")).toBeUndefined();
      expect((await h.backend.listObjects(BUCKET, { limit: 10 })).objects.map((o) => o.key)).toEqual(["k"]);
    });

    test("a staged object commits once; abort after commit keeps the object", async () => {
      const staged = await h.backend.stageObject(BUCKET, "once");
      await staged!.write(Buffer.from("abc"));
      expect(typeof (await staged!.commit(attributesFor(Buffer.from("abc"))))).toBe("object");
      await expect(staged!.commit(attributesFor(Buffer.from("abc")))).rejects.toThrow();
      await expect(staged!.write(Buffer.from("d"))).rejects.toThrow();
      await staged!.abort();
      expect((await readBody(h.backend, "once"))?.toString()).toBe("abc");
    });

    test("the backend keeps its own copy of written chunks and of returned metadata", async () => {
      const chunk = Buffer.from("original");
      const staged = await h.backend.stageObject(BUCKET, "copy");
      await staged!.write(chunk);
      chunk.fill(0x21);
      const attributes = attributesFor(Buffer.from("original"), { metadata: { a: "1" } });
      const meta = await staged!.commit(attributes);
      attributes.metadata.a = "changed by the caller";
      if (typeof meta === "string") throw new Error(meta);
      meta.metadata.a = "changed too";
      meta.checksums.sha256 = "forged";

      const head = await h.backend.headObject(BUCKET, "copy");
      expect(head?.metadata).toEqual({ a: "1" });
      expect(head?.checksums).toEqual({});
      expect((await readBody(h.backend, "copy"))?.toString()).toBe("original");
    });

    test("keys must be 1 to 1024 bytes of well-formed UTF-8", async () => {
      const longest = "é".repeat(512);
      await putCommitted(h.backend, longest, "max");
      expect((await readBody(h.backend, longest))?.toString()).toBe("max");
      for (const key of ["", `${longest}x`, "bad\ud800surrogate"]) {
        await expect(h.backend.stageObject(BUCKET, key)).rejects.toMatchObject({ code: "InvalidKey" });
      }
    });

    test("a read keeps streaming the version it opened while the key is overwritten and deleted", async () => {
      const old = patternBytes(1_500_000, 1);
      const oldMeta = await putCommitted(h.backend, "hot", old, { attributes: { metadata: { v: "old" } } });
      const read = await h.backend.readObject(BUCKET, "hot");
      const ranged = await h.backend.readObject(BUCKET, "hot", { start: 1000, end: 1_200_000 });

      const newer = patternBytes(2_000_000, 2);
      await putCommitted(h.backend, "hot", newer, { attributes: { metadata: { v: "new" } } });
      const afterOverwrite = await h.backend.readObject(BUCKET, "hot");
      expect(await h.backend.deleteObject(BUCKET, "hot")).toBe(true);

      expect(read?.meta).toEqual(oldMeta);
      expect((await readAll(read!.body)).equals(old)).toBe(true);
      expect(ranged?.meta).toEqual(oldMeta);
      expect((await readAll(ranged!.body)).equals(old.subarray(1000, 1_200_001))).toBe(true);
      expect(afterOverwrite?.meta.metadata).toEqual({ v: "new" });
      expect((await readAll(afterOverwrite!.body)).equals(newer)).toBe(true);
    });

    test("concurrent unconditional writes to one key leave exactly one whole version", async () => {
      const bodies = Array.from({ length: 8 }, (_, i) => patternBytes(100_000 + i * 1000, i));
      await Promise.all(bodies.map((body) => putObject(h.backend, "contended", body, { chunkSize: 10_000 })));
      const read = await h.backend.readObject(BUCKET, "contended");
      const bytes = await readAll(read!.body);
      const winner = bodies.find((body) => body.equals(bytes));
      expect(winner).toBeDefined();
      expect(read?.meta.etag).toBe(md5Etag(winner!));
      expect(read?.meta.size).toBe(winner!.length);
    });
  });
}
