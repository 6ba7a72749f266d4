import { describe, expect, test } from "vitest";
import type { IdempotencyTag, Ledger, NewUpload } from "../../src/server/ledger/types.js";
import { at, type LedgerHarness, MB, newUpload } from "./ledger-support.js";

const TAG: IdempotencyTag = { key: "key-0123456789abcdef", requestHash: "hash-a" };

function tagged(count: number, overrides: Partial<NewUpload> = {}, tag = TAG): NewUpload[] {
  return Array.from({ length: count }, (_, index) =>
    newUpload({ name: `file-${index}.png`, ...overrides, idempotency: tag }),
  );
}

function reserve(ledger: Ledger, rows: NewUpload[], limit = {}) {
  const { userId, route } = rows[0]!;
  return ledger.reserve(rows, { userId, route, limit, now: at(0) });
}

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

export function idempotencyContract(h: LedgerHarness): void {
  describe("idempotency keys", () => {
    test("findIdempotent() gives the key's rows in file order with the request hash", async () => {
      const rows = tagged(3);
      expect(await reserve(h.ledger, rows)).toEqual({ ok: true });
      const found = await h.ledger.findIdempotent("user-1", TAG.key);
      expect(found?.requestHash).toBe(TAG.requestHash);
      expect(ids(found!.rows)).toEqual(ids(rows));
      expect(found!.rows.map((row) => row.status)).toEqual(["pending", "pending", "pending"]);
      expect(await h.ledger.findIdempotent("user-1", "another-key")).toBeUndefined();
    });

    test("rows reserved without a key are never found by one", async () => {
      await reserve(h.ledger, [newUpload()]);
      expect(await h.ledger.findIdempotent("user-1", "")).toBeUndefined();
      expect(await h.ledger.findIdempotent("user-1", "null")).toBeUndefined();
    });

    test("a second reserve() with the key inserts nothing, counts nothing and returns the first rows", async () => {
      const first = tagged(2, { declaredSize: 3 * MB });
      await reserve(h.ledger, first, { bytes: 6 * MB });
      const again = tagged(2, { declaredSize: 3 * MB });
      // The quota is full: a second reservation would be refused, but a replay is not a reservation.
      const result = await reserve(h.ledger, again, { bytes: 6 * MB });
      expect(result.ok).toBe(true);
      expect(result.ok && ids(result.existing!.rows)).toEqual(ids(first));
      for (const row of again) expect(await h.ledger.get(row.id)).toBeUndefined();
      expect(await h.ledger.usage("user-1", "images", undefined, at(0))).toEqual({ bytes: 6 * MB, files: 2 });
    });

    test("keys are per user: another user's same key reserves its own rows", async () => {
      const mine = tagged(1);
      const theirs = tagged(1, { userId: "user-2" });
      await reserve(h.ledger, mine);
      expect(await reserve(h.ledger, theirs)).toEqual({ ok: true });
      expect(ids((await h.ledger.findIdempotent("user-2", TAG.key))!.rows)).toEqual(ids(theirs));
      expect(ids((await h.ledger.findIdempotent("user-1", TAG.key))!.rows)).toEqual(ids(mine));
      expect(await h.ledger.findIdempotent("user-3", TAG.key)).toBeUndefined();
    });

    test("the key holds whatever the rows' later status is", async () => {
      const [row] = tagged(1);
      await reserve(h.ledger, [row!]);
      await h.ledger.transition(row!.id, ["pending"], "aborted", { reason: "ABORTED" });
      const result = await reserve(h.ledger, tagged(1));
      expect(result.ok && result.existing?.rows.map((r) => [r.id, r.status])).toEqual([[row!.id, "aborted"]]);
    });

    test("a transition that forgets the key frees it: the next reserve() with it inserts anew", async () => {
      const first = tagged(2, { declaredSize: 3 * MB });
      await reserve(h.ledger, first, { bytes: 6 * MB });
      for (const row of first) {
        const moved = await h.ledger.transition(row.id, ["pending"], "aborted", {
          reason: "SIGNING_FAILED",
          forgetIdempotency: true,
        });
        expect(moved).toMatchObject({ status: "aborted", reason: "SIGNING_FAILED" });
      }
      expect(await h.ledger.findIdempotent("user-1", TAG.key)).toBeUndefined();
      const again = tagged(2, { declaredSize: 3 * MB });
      // The aborted rows gave their quota back, so the new reservation fits.
      expect(await reserve(h.ledger, again, { bytes: 6 * MB })).toEqual({ ok: true });
      expect(ids((await h.ledger.findIdempotent("user-1", TAG.key))!.rows)).toEqual(ids(again));
    });

    test("concurrent reserve() calls with one key, over two instances and two routes: one inserts", async () => {
      const other = h.open();
      // Open every connection first, so that the calls below overlap instead of queueing on connects.
      await Promise.all(Array.from({ length: 6 }, () => [h.ledger.ping(), other.ping()]).flat());
      const calls = Array.from({ length: 12 }, (_, call) => {
        const rows = tagged(2, { route: call % 3 === 0 ? "docs" : "images" });
        return { rows, result: reserve(call % 2 === 0 ? h.ledger : other, rows) };
      });
      const results = await Promise.all(calls.map((call) => call.result));
      const winners = calls.filter((_, index) => {
        const result = results[index]!;
        return result.ok && result.existing === undefined;
      });
      expect(winners).toHaveLength(1);
      const winnerIds = ids(winners[0]!.rows);
      for (const result of results) {
        expect(result.ok).toBe(true);
        if (result.ok && result.existing) expect(ids(result.existing.rows)).toEqual(winnerIds);
      }
      expect(ids((await h.ledger.findIdempotent("user-1", TAG.key))!.rows)).toEqual(winnerIds);
      const images = await h.ledger.usage("user-1", "images", undefined, at(0));
      const docs = await h.ledger.usage("user-1", "docs", undefined, at(0));
      expect(images.files + docs.files).toBe(2);
    });

    test("reserve() refuses a batch whose rows carry different keys", async () => {
      const rows = [...tagged(1), ...tagged(1, {}, { key: "other", requestHash: "hash-a" })];
      await expect(reserve(h.ledger, rows)).rejects.toThrow(/another Idempotency-Key/);
      expect(await h.ledger.findIdempotent("user-1", TAG.key)).toBeUndefined();
    });
  });
}
