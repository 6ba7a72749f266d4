import { describe, expect, test } from "vitest";
import { at, insertRows, type LedgerHarness, MB, newUpload } from "./ledger-support.js";

export function lifecycleContract(h: LedgerHarness): void {
  describe("migrations and lifecycle", () => {
    test("an unmigrated database reports version 0; migrate() brings it to the latest", async () => {
      const fresh = (await h.emptyDatabase()).open();
      const before = await fresh.migrationStatus();
      expect(before).toEqual({ current: 0, latest: expect.any(Number) });
      expect(before.latest).toBeGreaterThanOrEqual(1);
      await fresh.migrate();
      expect(await fresh.migrationStatus()).toEqual({ current: before.latest, latest: before.latest });
      expect(await h.ledger.migrationStatus()).toEqual({ current: before.latest, latest: before.latest });
    });

    test("migrate() again is a no-op that keeps every row", async () => {
      const row = newUpload();
      await insertRows(h.ledger, [row]);
      await h.ledger.migrate();
      await h.open().migrate();
      const status = await h.ledger.migrationStatus();
      expect(status.current).toBe(status.latest);
      expect((await h.ledger.get(row.id))?.id).toBe(row.id);
    });

    test("instances migrating an empty database at once all succeed", async () => {
      const database = await h.emptyDatabase();
      const instances = [database.open(), database.open(), database.open(), database.open()];
      await Promise.all(instances.map((ledger) => ledger.migrate()));
      for (const ledger of instances) {
        const status = await ledger.migrationStatus();
        expect(status.current).toBe(status.latest);
      }
    });

    test("ping() answers while open and rejects once closed; close() twice is safe", async () => {
      const ledger = h.open();
      await expect(ledger.ping()).resolves.toBeUndefined();
      await ledger.close();
      await expect(ledger.ping()).rejects.toThrow();
      await expect(ledger.close()).resolves.toBeUndefined();
    });

    test("get() returns every field as reserved, and undefined for an unknown id", async () => {
      const row = newUpload({
        strategy: "multipart",
        declaredSize: 5 * 2 ** 30 + 17,
        sha256: "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
        multipartUploadId: "mpu-1",
        partSize: 64 * 2 ** 20,
        partCount: 81,
        clientIp: "203.0.113.9",
        userAgent: "upgate-test/1.0",
        metadata: { album: "été", "x-y": "1" },
        createdAt: at(1_234),
        expiresAt: at(3_600_000),
      });
      await insertRows(h.ledger, [row]);
      const stored = await h.ledger.get(row.id);
      expect(stored).toEqual({
        ...row,
        status: "pending",
        reason: null,
        verifiedSize: null,
        verifiedType: null,
        verifiedEtag: null,
        updatedAt: row.createdAt,
        completedAt: null,
        checksumAlgorithm: "sha256",
        checksum: row.sha256,
      });
      expect(await h.ledger.get("up_missing")).toBeUndefined();
    });

    test("keeps a CRC upload's algorithm and value, and the value a verification records", async () => {
      const declared = newUpload({ checksumAlgorithm: "crc64nvme", checksum: "jSnVw/bqjr4=" });
      const atComplete = newUpload({
        strategy: "multipart",
        multipartUploadId: "mpu-2",
        partSize: MB,
        partCount: 1,
        checksumAlgorithm: "crc32c",
      });
      await insertRows(h.ledger, [declared, atComplete]);
      expect(await h.ledger.get(declared.id)).toMatchObject({
        sha256: null,
        checksumAlgorithm: "crc64nvme",
        checksum: "jSnVw/bqjr4=",
      });
      expect(await h.ledger.get(atComplete.id)).toMatchObject({
        checksumAlgorithm: "crc32c",
        checksum: null,
      });
      await h.ledger.transition(atComplete.id, ["pending"], "uploaded");
      const verified = await h.ledger.transition(atComplete.id, ["uploaded"], "verified", {
        checksum: "yZRlqg==",
        completedAt: at(5_000),
      });
      expect(verified).toMatchObject({ checksumAlgorithm: "crc32c", checksum: "yZRlqg==" });
      expect(await h.ledger.get(atComplete.id)).toMatchObject({ checksum: "yZRlqg==" });
    });
  });
}
