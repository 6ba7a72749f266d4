import { beforeEach, describe, expect, test } from "vitest";
import type { StorageBackend, WriteConditions } from "../../src/store/backend/types.js";
import {
  attributesFor,
  BUCKET,
  type Harness,
  md5Etag,
  patternBytes,
  putCommitted,
  putObject,
  readBody,
} from "./support.js";

/** Stages every body fully first, then fires all the commits at once. */
async function raceCommits(
  backend: StorageBackend,
  key: string,
  bodies: Buffer[],
  conditions: WriteConditions,
) {
  const staged = await Promise.all(
    bodies.map(async (body) => {
      const object = (await backend.stageObject(BUCKET, key))!;
      await object.write(body);
      return object;
    }),
  );
  return Promise.all(staged.map((object, i) => object.commit(attributesFor(bodies[i]!), conditions)));
}

export function conditionsContract(h: Harness): void {
  describe("conditional commits", () => {
    beforeEach(async () => {
      await h.backend.createBucket(BUCKET);
    });

    test("If-None-Match: * writes a new key and refuses an existing one, leaving it unchanged", async () => {
      const created = await putObject(h.backend, "once", "first", { conditions: { ifNoneMatch: "*" } });
      expect(created).toMatchObject({ key: "once", size: 5 });
      const refused = await putObject(h.backend, "once", "second", { conditions: { ifNoneMatch: "*" } });
      expect(refused).toBe("precondition-failed");
      expect(await h.backend.headObject(BUCKET, "once")).toEqual(created);
      expect((await readBody(h.backend, "once"))?.toString()).toBe("first");
    });

    test("If-Match needs the current ETag, or any object for *", async () => {
      const v1 = await putCommitted(h.backend, "doc", "v1");
      expect(
        await putObject(h.backend, "doc", "v2", { conditions: { ifMatch: md5Etag(Buffer.from("other")) } }),
      ).toBe("precondition-failed");
      expect((await readBody(h.backend, "doc"))?.toString()).toBe("v1");

      const v2 = await putObject(h.backend, "doc", "v2", { conditions: { ifMatch: v1.etag } });
      expect(v2).toMatchObject({ etag: md5Etag(Buffer.from("v2")) });
      expect(await putObject(h.backend, "doc", "v3", { conditions: { ifMatch: v1.etag } })).toBe(
        "precondition-failed",
      );
      expect(await putObject(h.backend, "doc", "v3", { conditions: { ifMatch: "*" } })).toMatchObject({
        size: 2,
      });
      expect((await readBody(h.backend, "doc"))?.toString()).toBe("v3");

      expect(await putObject(h.backend, "absent", "x", { conditions: { ifMatch: "*" } })).toBe(
        "precondition-failed",
      );
      expect(await putObject(h.backend, "absent", "x", { conditions: { ifMatch: v1.etag } })).toBe(
        "precondition-failed",
      );
      expect(await h.backend.headObject(BUCKET, "absent")).toBeUndefined();
    });

    test("a deleted key can be created again with If-None-Match: *", async () => {
      await putCommitted(h.backend, "k", "a");
      await h.backend.deleteObject(BUCKET, "k");
      expect(await putObject(h.backend, "k", "b", { conditions: { ifNoneMatch: "*" } })).toMatchObject({
        size: 1,
      });
    });

    test("20 concurrent If-None-Match: * commits to one new key: exactly one wins", async () => {
      const bodies = Array.from({ length: 20 }, (_, i) => patternBytes(50_000 + i, i));
      const results = await raceCommits(h.backend, "race", bodies, { ifNoneMatch: "*" });
      const winners = results.flatMap((result, i) => (typeof result === "string" ? [] : [i]));
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => result === "precondition-failed")).toHaveLength(19);
      const stored = await readBody(h.backend, "race");
      expect(stored?.equals(bodies[winners[0]!]!)).toBe(true);
      expect((await h.backend.headObject(BUCKET, "race"))?.etag).toBe(md5Etag(bodies[winners[0]!]!));
    });

    test("concurrent If-Match commits on the current ETag: exactly one wins (compare-and-swap)", async () => {
      const base = await putCommitted(h.backend, "cas", "base");
      const bodies = Array.from({ length: 10 }, (_, i) => patternBytes(10_000, i + 1));
      const results = await raceCommits(h.backend, "cas", bodies, { ifMatch: base.etag });
      const winners = results.flatMap((result, i) => (typeof result === "string" ? [] : [i]));
      expect(winners).toHaveLength(1);
      expect((await readBody(h.backend, "cas"))?.equals(bodies[winners[0]!]!)).toBe(true);
    });
  });
}
