import { describe, expect, test } from "vitest";
import { InvalidCursorError } from "../../src/server/ledger/list-cursor.js";
import type { UploadRow, UserUploadsQuery } from "../../src/server/ledger/types.js";
import { at, insertRows, type LedgerHarness, newUpload } from "./ledger-support.js";

export function rowsContract(h: LedgerHarness): void {
  describe("transition", () => {
    test("moves a row from an allowed status, applies the patch and returns the new row", async () => {
      const row = newUpload();
      await insertRows(h.ledger, [row]);
      const before = Date.now();
      const verified = await h.ledger.transition(row.id, ["pending", "uploaded"], "verified", {
        verifiedSize: 1234,
        verifiedType: "image/png",
        completedAt: at(60_000),
      });
      expect(verified).toMatchObject({
        id: row.id,
        status: "verified",
        verifiedSize: 1234,
        verifiedType: "image/png",
        completedAt: at(60_000),
        reason: null,
        expiresAt: row.expiresAt,
      });
      expect(verified?.updatedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(await h.ledger.get(row.id)).toEqual(verified);
    });

    test("a patch can record the verified ETag and move the row to another key", async () => {
      const row = newUpload();
      await insertRows(h.ledger, [row]);
      expect(await h.ledger.get(row.id)).toMatchObject({ verifiedEtag: null, key: row.key });
      const moved = await h.ledger.transition(row.id, ["pending"], "verified", {
        verifiedEtag: '"0123abcd"',
        key: "images/user-1/promoted.png",
      });
      expect(moved).toMatchObject({ verifiedEtag: '"0123abcd"', key: "images/user-1/promoted.png" });
      expect(await h.ledger.get(row.id)).toEqual(moved);
      expect(await h.ledger.ownsKey(row.bucket, "images/user-1/promoted.png", ["verified"])).toBe(true);
      expect(await h.ledger.ownsKey(row.bucket, row.key, ["verified"])).toBe(false);
    });

    test("a wrong from-status or an unknown id changes nothing and returns undefined", async () => {
      const row = newUpload();
      await insertRows(h.ledger, [row]);
      expect(
        await h.ledger.transition(row.id, ["uploaded", "verified"], "rejected", { reason: "x" }),
      ).toBeUndefined();
      expect(await h.ledger.transition(row.id, [], "aborted")).toBeUndefined();
      expect(await h.ledger.transition("up_missing", ["pending"], "aborted")).toBeUndefined();
      expect(await h.ledger.get(row.id)).toMatchObject({ status: "pending", reason: null });
    });

    test("a patch can set reason and expiresAt, and null clears a field", async () => {
      const row = newUpload();
      await insertRows(h.ledger, [row]);
      await h.ledger.transition(row.id, ["pending"], "uploaded", { reason: "late", expiresAt: at(99_000) });
      const cleared = await h.ledger.transition(row.id, ["uploaded"], "rejected", { reason: null });
      expect(cleared).toMatchObject({ status: "rejected", reason: null, expiresAt: at(99_000) });
    });

    test("of concurrent transitions from two instances, exactly one wins", async () => {
      const row = newUpload();
      await insertRows(h.ledger, [row]);
      const other = h.open();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          (index % 2 ? other : h.ledger).transition(row.id, ["pending"], index % 3 ? "uploaded" : "aborted", {
            reason: `attempt-${index}`,
          }),
        ),
      );
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect(await h.ledger.get(row.id)).toEqual(winners[0]);
    });
  });

  describe("extendExpiry", () => {
    test("extends a pending row, never shortens it, and leaves other statuses alone", async () => {
      const pending = newUpload({ expiresAt: at(60_000) });
      const uploaded = newUpload({ expiresAt: at(60_000) });
      await insertRows(h.ledger, [pending, uploaded]);
      await h.ledger.transition(uploaded.id, ["pending"], "uploaded");
      await h.ledger.extendExpiry(pending.id, at(120_000));
      expect((await h.ledger.get(pending.id))?.expiresAt).toEqual(at(120_000));
      await h.ledger.extendExpiry(pending.id, at(90_000));
      expect((await h.ledger.get(pending.id))?.expiresAt).toEqual(at(120_000));
      await h.ledger.extendExpiry(uploaded.id, at(120_000));
      expect((await h.ledger.get(uploaded.id))?.expiresAt).toEqual(at(60_000));
    });
  });

  describe("list", () => {
    /** Seven rows of user-1 (two pairs share a createdAt) and two of others, newest first. */
    async function seed(): Promise<UploadRow[]> {
      const mine = [
        newUpload({ id: "up_a", createdAt: at(1_000) }),
        newUpload({ id: "up_b", createdAt: at(2_000), route: "videos" }),
        newUpload({ id: "up_c", createdAt: at(2_000) }),
        newUpload({ id: "up_d", createdAt: at(3_000) }),
        newUpload({ id: "up_e", createdAt: at(4_000), route: "videos" }),
        newUpload({ id: "up_f", createdAt: at(4_000) }),
        newUpload({ id: "up_g", createdAt: at(5_000) }),
      ];
      await insertRows(h.ledger, [
        ...mine,
        newUpload({ id: "up_x", userId: "user-2", createdAt: at(2_500) }),
        newUpload({ id: "up_y", userId: "user-3", route: "videos", createdAt: at(6_000) }),
      ]);
      await h.ledger.transition("up_c", ["pending"], "verified");
      await h.ledger.transition("up_f", ["pending"], "verified");
      const rows = await Promise.all(
        ["up_g", "up_f", "up_e", "up_d", "up_c", "up_b", "up_a"].map((id) => h.ledger.get(id)),
      );
      return rows.map((row) => row!);
    }

    async function allPages(query: Omit<UserUploadsQuery, "cursor">): Promise<{ pages: UploadRow[][] }> {
      const pages: UploadRow[][] = [];
      let cursor: string | undefined;
      do {
        const page = await h.ledger.list({ ...query, cursor });
        pages.push(page.rows);
        cursor = page.nextCursor;
        expect(pages.length).toBeLessThan(20);
      } while (cursor !== undefined);
      return { pages };
    }

    test("pages newest first, ties broken by id, each row exactly once", async () => {
      const newestFirst = await seed();
      const { pages } = await allPages({ userId: "user-1", limit: 2 });
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 1]);
      expect(pages.flat()).toEqual(newestFirst);
      expect((await h.ledger.list({ userId: "user-1", limit: 7 })).nextCursor).toBeUndefined();
      expect((await h.ledger.list({ userId: "user-1", limit: 6 })).nextCursor).toBeDefined();
    });

    test("filters by route and status, through every page", async () => {
      const newestFirst = await seed();
      const videos = await allPages({ userId: "user-1", route: "videos", limit: 1 });
      expect(videos.pages.flat().map((row) => row.id)).toEqual(["up_e", "up_b"]);
      const verified = await allPages({ userId: "user-1", status: "verified", limit: 1 });
      expect(verified.pages.flat().map((row) => row.id)).toEqual(["up_f", "up_c"]);
      const both = await h.ledger.list({ userId: "user-1", route: "images", status: "pending", limit: 10 });
      expect(both.rows).toEqual(newestFirst.filter((row) => ["up_g", "up_d", "up_a"].includes(row.id)));
      expect((await h.ledger.list({ userId: "user-9", limit: 10 })).rows).toEqual([]);
    });

    test("a cursor that this ledger did not make is refused", async () => {
      await seed();
      await expect(h.ledger.list({ userId: "user-1", limit: 2, cursor: "not-a-cursor" })).rejects.toThrow(
        InvalidCursorError,
      );
      const forged = Buffer.from(JSON.stringify({ createdAt: 1 })).toString("base64url");
      await expect(h.ledger.list({ userId: "user-1", limit: 2, cursor: forged })).rejects.toThrow(
        InvalidCursorError,
      );
      await expect(h.ledger.list({ userId: "user-1", limit: 0 })).rejects.toThrow(RangeError);
    });
  });

  describe("findStale and ownsKey", () => {
    test("findStale returns pending and uploaded rows expired before the time, oldest first, up to the limit", async () => {
      const rows = [
        newUpload({ id: "up_1", expiresAt: at(30_000) }),
        newUpload({ id: "up_2", expiresAt: at(10_000) }),
        newUpload({ id: "up_3", expiresAt: at(20_000) }),
        newUpload({ id: "up_4", expiresAt: at(5_000) }),
        newUpload({ id: "up_5", expiresAt: at(1_000) }),
        newUpload({ id: "up_6", expiresAt: at(50_000) }),
      ];
      await insertRows(h.ledger, rows);
      await h.ledger.transition("up_3", ["pending"], "uploaded");
      await h.ledger.transition("up_4", ["pending"], "verified");
      await h.ledger.transition("up_5", ["pending"], "expired");
      const ids = async (before: number, limit: number) =>
        (await h.ledger.findStale(at(before), limit)).map((row) => row.id);
      expect(await ids(40_000, 10)).toEqual(["up_2", "up_3", "up_1"]);
      expect(await ids(40_000, 2)).toEqual(["up_2", "up_3"]);
      expect(await ids(30_000, 10)).toEqual(["up_2", "up_3"]);
      expect(await ids(1_000, 10)).toEqual([]);
    });

    test("ownsKey is true only for a row with that bucket and key in one of the statuses", async () => {
      const row = newUpload({ bucket: "uploads", key: "images/user-1/abc.png" });
      await insertRows(h.ledger, [row]);
      await h.ledger.transition(row.id, ["pending"], "verified");
      expect(await h.ledger.ownsKey("uploads", "images/user-1/abc.png", ["verified"])).toBe(true);
      expect(await h.ledger.ownsKey("uploads", "images/user-1/abc.png", ["pending", "uploaded"])).toBe(false);
      expect(await h.ledger.ownsKey("uploads", "images/user-1/abc.png", [])).toBe(false);
      expect(await h.ledger.ownsKey("other", "images/user-1/abc.png", ["verified"])).toBe(false);
      expect(await h.ledger.ownsKey("uploads", "images/user-1/abc", ["verified"])).toBe(false);
    });
  });
}
