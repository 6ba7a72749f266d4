import { beforeEach, describe, expect, test } from "vitest";
import { BUCKET, byUtf8, type Harness, listAllKeys, putCommitted, readBody } from "./support.js";

/** Keys whose JS string order differs from UTF-8 byte order, and keys that look like paths. */
const UNICODE_KEYS = ["a", "b", "é", "😀", "Z", "a/b", "\uE000", "\uFFFD", "𝒜", "ａ", "~", " ", "A", "0"];
const PATHLIKE_KEYS = [
  "..",
  "../../etc/passwd",
  "a/../../b",
  "//",
  "/leading",
  "trailing/",
  "a//b",
  "./x",
  "\\..\\windows",
  "%2e%2e%2f",
  "line\nbreak",
  "tab\there",
  "x".repeat(1024),
];

export function listingContract(h: Harness): void {
  describe("listing", () => {
    beforeEach(async () => {
      await h.backend.createBucket(BUCKET);
    });

    test("keys come back in UTF-8 byte order, not JS string order", async () => {
      for (const key of UNICODE_KEYS) await putCommitted(h.backend, key, `body of ${key}`);
      const expected = [...UNICODE_KEYS].sort(byUtf8);
      expect(expected).not.toEqual([...UNICODE_KEYS].sort());
      expect(await listAllKeys(h.backend)).toEqual(expected);
      expect(await listAllKeys(h.backend, undefined, 1)).toEqual(expected);
    });

    test("path-like and special keys are ordinary keys", async () => {
      for (const key of PATHLIKE_KEYS) await putCommitted(h.backend, key, `body of ${key}`);
      for (const key of PATHLIKE_KEYS) {
        expect((await readBody(h.backend, key))?.toString(), key).toBe(`body of ${key}`);
        expect((await h.backend.headObject(BUCKET, key))?.key).toBe(key);
      }
      expect(await listAllKeys(h.backend)).toEqual([...PATHLIKE_KEYS].sort(byUtf8));
      expect(await h.backend.headObject(BUCKET, "etc/passwd")).toBeUndefined();
      expect(await h.backend.headObject(BUCKET, "b")).toBeUndefined();
    });

    test("prefix, after and limit select and page", async () => {
      const keys = ["a", "a/1", "a/2", "a/3", "a0", "b/1", "b/2", "c"];
      for (const key of keys) await putCommitted(h.backend, key, key);

      const first = await h.backend.listObjects(BUCKET, { prefix: "a/", limit: 2 });
      expect(first.objects.map((o) => o.key)).toEqual(["a/1", "a/2"]);
      expect(first.truncated).toBe(true);
      const second = await h.backend.listObjects(BUCKET, { prefix: "a/", after: "a/2", limit: 2 });
      expect(second.objects.map((o) => o.key)).toEqual(["a/3"]);
      expect(second.truncated).toBe(false);

      const exact = await h.backend.listObjects(BUCKET, { prefix: "a/", limit: 3 });
      expect(exact.objects.map((o) => o.key)).toEqual(["a/1", "a/2", "a/3"]);
      expect(exact.truncated).toBe(false);

      const afterOnly = await h.backend.listObjects(BUCKET, { after: "a0", limit: 100 });
      expect(afterOnly.objects.map((o) => o.key)).toEqual(["b/1", "b/2", "c"]);
      const afterMissingKey = await h.backend.listObjects(BUCKET, { after: "a/25", limit: 100 });
      expect(afterMissingKey.objects.map((o) => o.key)).toEqual(["a/3", "a0", "b/1", "b/2", "c"]);
      const afterBeforePrefix = await h.backend.listObjects(BUCKET, { prefix: "b/", after: "a", limit: 100 });
      expect(afterBeforePrefix.objects.map((o) => o.key)).toEqual(["b/1", "b/2"]);
      const afterPastPrefix = await h.backend.listObjects(BUCKET, { prefix: "a/", after: "b", limit: 100 });
      expect(afterPastPrefix).toEqual({ objects: [], truncated: false });
      const noMatch = await h.backend.listObjects(BUCKET, { prefix: "zz", limit: 100 });
      expect(noMatch).toEqual({ objects: [], truncated: false });
      const none = await h.backend.listObjects(BUCKET, { limit: 0 });
      expect(none).toEqual({ objects: [], truncated: false });

      expect(await listAllKeys(h.backend, undefined, 3)).toEqual(keys);
      expect(await listAllKeys(h.backend, "b", 1)).toEqual(["b/1", "b/2"]);
    });

    test("listed entries carry each object's metadata", async () => {
      const meta = await putCommitted(h.backend, "m", "bytes", {
        attributes: { contentType: "text/plain", metadata: { who: "me" } },
      });
      const page = await h.backend.listObjects(BUCKET, { limit: 10 });
      expect(page.objects).toEqual([meta]);
    });

    test("the listing follows overwrites and deletes", async () => {
      for (const key of ["k1", "k2", "k3"]) await putCommitted(h.backend, key, key);
      await h.backend.deleteObject(BUCKET, "k2");
      await putCommitted(h.backend, "k3", "longer body");
      await putCommitted(h.backend, "k0", "k0");
      const page = await h.backend.listObjects(BUCKET, { limit: 10 });
      expect(page.objects.map((o) => [o.key, o.size])).toEqual([
        ["k0", 2],
        ["k1", 2],
        ["k3", 11],
      ]);
    });

    test("many keys in random order list sorted", async () => {
      const keys = Array.from(
        { length: 300 },
        (_, i) => `${String.fromCodePoint(0x41 + ((i * 7919) % 0x2fff))}/${i}`,
      );
      const shuffled = [...keys].sort(() => Math.random() - 0.5);
      await Promise.all(shuffled.map((key) => putCommitted(h.backend, key, "x")));
      expect(await listAllKeys(h.backend, undefined, 37)).toEqual([...keys].sort(byUtf8));
    });
  });
}
