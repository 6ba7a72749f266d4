import { describe, expect, test } from "vitest";
import type { UploadStatus } from "../../src/core/protocol.js";
import type { Ledger, NewUpload, QuotaLimit } from "../../src/server/ledger/types.js";
import { at, insertRows, type LedgerHarness, MB, newUpload } from "./ledger-support.js";

const HOUR = 3_600_000;

function reserve(ledger: Ledger, rows: NewUpload[], limit: QuotaLimit, now = at(0)) {
  return ledger.reserve(rows, { userId: "user-1", route: "images", limit, now });
}

export function quotaContract(h: LedgerHarness): void {
  describe("reserve and usage", () => {
    test("reserve() inserts every row as pending and counts it", async () => {
      const rows = [newUpload({ declaredSize: 3 * MB }), newUpload({ declaredSize: 2 * MB })];
      expect(await reserve(h.ledger, rows, { bytes: 10 * MB, files: 5 })).toEqual({ ok: true });
      for (const row of rows) expect((await h.ledger.get(row.id))?.status).toBe("pending");
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({ bytes: 5 * MB, files: 2 });
    });

    test("a batch that would pass the byte quota is refused whole and reports usage", async () => {
      await reserve(h.ledger, [newUpload({ declaredSize: 6 * MB })], { bytes: 10 * MB });
      const batch = [newUpload(), newUpload(), newUpload({ declaredSize: 3 * MB })];
      const limit = { bytes: 10 * MB };
      expect(await reserve(h.ledger, batch, limit)).toEqual({
        ok: false,
        used: { bytes: 6 * MB, files: 1 },
        limit,
      });
      for (const row of batch) expect(await h.ledger.get(row.id)).toBeUndefined();
      expect(await reserve(h.ledger, batch.slice(0, 2), limit)).toEqual({ ok: true });
    });

    test("usage may reach the byte quota exactly, not one byte past it", async () => {
      expect(await reserve(h.ledger, [newUpload({ declaredSize: 10 * MB })], { bytes: 10 * MB })).toEqual({
        ok: true,
      });
      expect((await reserve(h.ledger, [newUpload({ declaredSize: 1 })], { bytes: 10 * MB })).ok).toBe(false);
    });

    test("the file quota counts rows", async () => {
      const limit = { files: 3 };
      expect((await reserve(h.ledger, [newUpload(), newUpload()], limit)).ok).toBe(true);
      expect(await reserve(h.ledger, [newUpload(), newUpload()], limit)).toEqual({
        ok: false,
        used: { bytes: 2 * MB, files: 2 },
        limit,
      });
      expect((await reserve(h.ledger, [newUpload()], limit)).ok).toBe(true);
      expect((await reserve(h.ledger, [newUpload()], limit)).ok).toBe(false);
    });

    test("a rolling period counts only rows created within it; no period counts all time", async () => {
      await reserve(h.ledger, [newUpload({ createdAt: at(-2 * HOUR) })], {}, at(-2 * HOUR));
      await reserve(h.ledger, [newUpload({ createdAt: at(-HOUR) })], {}, at(-HOUR));
      expect(await h.ledger.usage("user-1", "images", HOUR, at(0))).toEqual({ bytes: 0, files: 0 });
      expect(await h.ledger.usage("user-1", "images", HOUR + 1, at(0))).toEqual({ bytes: MB, files: 1 });
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({ bytes: 2 * MB, files: 2 });

      expect((await reserve(h.ledger, [newUpload(), newUpload()], { files: 2 })).ok).toBe(false);
      expect((await reserve(h.ledger, [newUpload(), newUpload()], { files: 2, periodMs: HOUR })).ok).toBe(
        true,
      );
    });

    test("rejected, expired and aborted rows release their bytes; verified rows count their verified size", async () => {
      const rows = [newUpload(), newUpload(), newUpload(), newUpload(), newUpload()];
      await reserve(h.ledger, rows, {});
      const ends: UploadStatus[] = ["rejected", "expired", "aborted"];
      for (const [index, status] of ends.entries()) {
        expect(
          await h.ledger.transition(rows[index]!.id, ["pending"], status, { reason: "test" }),
        ).toBeDefined();
      }
      await h.ledger.transition(rows[3]!.id, ["pending"], "verified", { verifiedSize: 100 });
      await h.ledger.transition(rows[4]!.id, ["pending"], "uploaded");
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({
        bytes: MB + 100,
        files: 2,
      });
      expect((await reserve(h.ledger, [newUpload(), newUpload(), newUpload()], { files: 5 })).ok).toBe(true);
    });

    test("quotas are per user and per route", async () => {
      await insertRows(h.ledger, [
        newUpload({ userId: "user-2" }),
        newUpload({ route: "videos" }),
        newUpload({ userId: "user-2", route: "videos" }),
      ]);
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({ bytes: 0, files: 0 });
      expect(await h.ledger.usage("user-1", "videos", undefined, at(0))).toEqual({ bytes: MB, files: 1 });
      expect((await reserve(h.ledger, [newUpload()], { files: 1 })).ok).toBe(true);
    });

    test("a batch that fails to insert (duplicate id) leaves none of its rows behind", async () => {
      const existing = newUpload();
      await reserve(h.ledger, [existing], {});
      const fresh = newUpload();
      await expect(reserve(h.ledger, [fresh, newUpload({ id: existing.id })], {})).rejects.toThrow();
      expect(await h.ledger.get(fresh.id)).toBeUndefined();
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({ bytes: MB, files: 1 });
    });

    test("rows for another user or route than the quota's are refused", async () => {
      await expect(reserve(h.ledger, [newUpload({ userId: "user-2" })], {})).rejects.toThrow(/user-2/);
      await expect(reserve(h.ledger, [newUpload({ route: "videos" })], {})).rejects.toThrow(/videos/);
      expect(await h.ledger.usage("user-2", "images", undefined, at(0))).toEqual({ bytes: 0, files: 0 });
    });

    test("concurrent reservations from two instances never pass the quota", async () => {
      const other = h.open();
      const attempts = Array.from({ length: 30 }, (_, index) =>
        reserve(index % 2 ? other : h.ledger, [newUpload()], { bytes: 10 * MB }),
      );
      const results = await Promise.all(attempts);
      expect(results.filter((result) => result.ok)).toHaveLength(10);
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({
        bytes: 10 * MB,
        files: 10,
      });
    });
  });
}
