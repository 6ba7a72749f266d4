import { describe, expect, test } from "vitest";
import type { Ledger, NewUpload, QuotaLimit } from "../../src/server/ledger/types.js";
import { at, type LedgerHarness, MB, newUpload } from "./ledger-support.js";

const A = "anonymous@192.0.2.1";
const B = "anonymous@198.51.100.2";
const HOUR = 3_600_000;

const anonymous = (subject: string, overrides: Partial<NewUpload> = {}) =>
  newUpload({ userId: "anonymous", quotaSubject: subject, route: "open", ...overrides });

function reserve(ledger: Ledger, rows: NewUpload[], limit: QuotaLimit, routeLimit?: QuotaLimit, now = at(0)) {
  const subject = rows[0]!.quotaSubject!;
  return ledger.reserve(rows, {
    userId: "anonymous",
    subject,
    route: "open",
    limit,
    ...(routeLimit && { routeLimit }),
    now,
  });
}

/** Quota subjects (one user, several subjects: anonymous callers by address) and the route-wide cap. */
export function subjectContract(h: LedgerHarness): void {
  describe("quota subjects", () => {
    test("the quota counts per subject: one address at its limit does not block another", async () => {
      expect((await reserve(h.ledger, [anonymous(A), anonymous(A)], { files: 2 })).ok).toBe(true);
      expect(await reserve(h.ledger, [anonymous(A)], { files: 2 })).toEqual({
        ok: false,
        used: { bytes: 2 * MB, files: 2 },
        limit: { files: 2 },
      });
      expect((await reserve(h.ledger, [anonymous(B)], { files: 2 })).ok).toBe(true);
      expect(await h.ledger.usage(A, "open", undefined, at(0))).toEqual({ bytes: 2 * MB, files: 2 });
      expect(await h.ledger.usage(B, "open", undefined, at(0))).toEqual({ bytes: MB, files: 1 });
      expect(await h.ledger.usage("anonymous", "open", undefined, at(0))).toEqual({ bytes: 0, files: 0 });
    });

    test("a row is stored with its subject; a signed-in user's subject defaults to the user id", async () => {
      const row = anonymous(A);
      await reserve(h.ledger, [row], {});
      expect((await h.ledger.get(row.id))?.quotaSubject).toBe(A);
      const signedIn = newUpload();
      await h.ledger.reserve([signedIn], { userId: "user-1", route: "images", limit: {}, now: at(0) });
      expect((await h.ledger.get(signedIn.id))?.quotaSubject).toBe("user-1");
    });

    test("rows of another subject than the quota's are refused", async () => {
      await expect(
        h.ledger.reserve([anonymous(A)], {
          userId: "anonymous",
          subject: B,
          route: "open",
          limit: {},
          now: at(0),
        }),
      ).rejects.toThrow(/198\.51\.100\.2/);
      expect(await h.ledger.usage(A, "open", undefined, at(0))).toEqual({ bytes: 0, files: 0 });
    });

    test("Idempotency-Keys are per subject: the same key from another address reserves its own rows", async () => {
      const tag = { key: "shared-key", requestHash: "h" };
      const mine = anonymous(A, { idempotency: tag });
      const theirs = anonymous(B, { idempotency: tag });
      expect(await reserve(h.ledger, [mine], {})).toEqual({ ok: true });
      expect(await reserve(h.ledger, [theirs], {})).toEqual({ ok: true });
      expect((await h.ledger.findIdempotent(A, tag.key))?.rows.map((r) => r.id)).toEqual([mine.id]);
      expect((await h.ledger.findIdempotent(B, tag.key))?.rows.map((r) => r.id)).toEqual([theirs.id]);
      expect(await h.ledger.findIdempotent("anonymous", tag.key)).toBeUndefined();
    });

    test("capability and download token hashes are stored, and a transition patch replaces them", async () => {
      const row = anonymous(A, { capabilityHash: "c".repeat(64), downloadTokenHash: "d".repeat(64) });
      await reserve(h.ledger, [row], {});
      expect(await h.ledger.get(row.id)).toMatchObject({
        capabilityHash: "c".repeat(64),
        downloadTokenHash: "d".repeat(64),
      });
      const updated = await h.ledger.transition(row.id, ["pending"], "pending", {
        capabilityHash: "e".repeat(64),
        downloadTokenHash: "f".repeat(64),
      });
      expect(updated).toMatchObject({ capabilityHash: "e".repeat(64), downloadTokenHash: "f".repeat(64) });
    });
  });

  describe("route-wide cap", () => {
    test("counts every subject's holding rows on the route; a refusal says scope route", async () => {
      const cap = { files: 3 };
      expect((await reserve(h.ledger, [anonymous(A), anonymous(A)], {}, cap)).ok).toBe(true);
      expect((await reserve(h.ledger, [anonymous(B)], {}, cap)).ok).toBe(true);
      expect(await reserve(h.ledger, [anonymous("anonymous@203.0.113.3")], {}, cap)).toEqual({
        ok: false,
        used: { bytes: 3 * MB, files: 3 },
        limit: cap,
        scope: "route",
      });
      // Released rows free the route too.
      const rows = await h.ledger.list({ userId: "anonymous", limit: 10 });
      await h.ledger.transition(rows.rows[0]!.id, ["pending"], "aborted", { reason: "DELETED" });
      expect((await reserve(h.ledger, [anonymous("anonymous@203.0.113.3")], {}, cap)).ok).toBe(true);
    });

    test("the subject's own quota is checked first and reported as such", async () => {
      await reserve(h.ledger, [anonymous(A)], {});
      expect(await reserve(h.ledger, [anonymous(A)], { files: 1 }, { files: 1 })).toEqual({
        ok: false,
        used: { bytes: MB, files: 1 },
        limit: { files: 1 },
      });
    });

    test("a rolling period on the cap counts only rows created within it", async () => {
      await reserve(h.ledger, [anonymous(A, { createdAt: at(-2 * HOUR) })], {}, undefined, at(-2 * HOUR));
      const cap = { bytes: MB, periodMs: HOUR };
      expect((await reserve(h.ledger, [anonymous(B)], {}, cap)).ok).toBe(true);
      expect((await reserve(h.ledger, [anonymous(B, { declaredSize: 1 })], {}, cap)).ok).toBe(false);
    });

    test("concurrent reservations by many subjects over two instances never pass the cap", async () => {
      const other = h.open();
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, index) =>
          reserve(
            index % 2 ? other : h.ledger,
            [anonymous(`anonymous@192.0.2.${index}`)],
            { files: 1 },
            {
              files: 7,
            },
          ),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(7);
      const { rows } = await h.ledger.list({ userId: "anonymous", limit: 100 });
      expect(rows).toHaveLength(7);
    });
  });
}
