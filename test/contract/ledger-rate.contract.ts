import { describe, expect, test } from "vitest";
import type { Ledger, RateResult } from "../../src/server/ledger/types.js";
import { at, type LedgerHarness } from "./ledger-support.js";

async function takeMany(ledger: Ledger, count: number, perMinute: number, now: Date): Promise<RateResult[]> {
  const results: RateResult[] = [];
  for (let index = 0; index < count; index++)
    results.push(await ledger.takeToken("user-1:images", perMinute, now));
  return results;
}

export function rateContract(h: LedgerHarness): void {
  describe("token bucket", () => {
    test("a new bucket allows a burst of perMinute, then says when the next token comes", async () => {
      const burst = await takeMany(h.ledger, 6, 6, at(0));
      expect(burst).toEqual(Array.from({ length: 6 }, () => ({ ok: true, retryAfterMs: 0 })));
      expect(await h.ledger.takeToken("user-1:images", 6, at(0))).toEqual({
        ok: false,
        retryAfterMs: 10_000,
      });
      expect(await h.ledger.takeToken("user-1:images", 6, at(4_000))).toEqual({
        ok: false,
        retryAfterMs: 6_000,
      });
    });

    test("a token refills after exactly retryAfterMs, not a millisecond sooner", async () => {
      await takeMany(h.ledger, 7, 7, at(0));
      const refused = await h.ledger.takeToken("user-1:images", 7, at(0));
      expect(refused).toEqual({ ok: false, retryAfterMs: Math.ceil(60_000 / 7) });
      const wait = refused.retryAfterMs;
      expect(await h.ledger.takeToken("user-1:images", 7, at(wait - 1))).toEqual({
        ok: false,
        retryAfterMs: 1,
      });
      expect(await h.ledger.takeToken("user-1:images", 7, at(wait))).toEqual({ ok: true, retryAfterMs: 0 });
      expect((await h.ledger.takeToken("user-1:images", 7, at(wait))).ok).toBe(false);
    });

    test("refill over time is capped at the burst", async () => {
      await takeMany(h.ledger, 5, 5, at(0));
      const afterAnHour = await takeMany(h.ledger, 6, 5, at(3_600_000));
      expect(afterAnHour.map((result) => result.ok)).toEqual([true, true, true, true, true, false]);
      expect(afterAnHour[5]?.retryAfterMs).toBe(12_000);
    });

    test("half the interval refills half the burst", async () => {
      await takeMany(h.ledger, 60, 60, at(0));
      const later = await takeMany(h.ledger, 31, 60, at(30_000));
      expect(later.filter((result) => result.ok)).toHaveLength(30);
      expect(later[30]).toEqual({ ok: false, retryAfterMs: 1_000 });
    });

    test("a clock behind the bucket's last refill adds no tokens", async () => {
      await takeMany(h.ledger, 2, 2, at(60_000));
      expect(await h.ledger.takeToken("user-1:images", 2, at(0))).toEqual({
        ok: false,
        retryAfterMs: 30_000,
      });
      expect((await h.ledger.takeToken("user-1:images", 2, at(60_000 + 29_999))).ok).toBe(false);
      expect((await h.ledger.takeToken("user-1:images", 2, at(60_000 + 30_000))).ok).toBe(true);
    });

    test("buckets are independent per key", async () => {
      await takeMany(h.ledger, 3, 3, at(0));
      expect((await h.ledger.takeToken("user-1:images", 3, at(0))).ok).toBe(false);
      expect((await h.ledger.takeToken("user-2:images", 3, at(0))).ok).toBe(true);
      expect((await h.ledger.takeToken("user-1:videos", 3, at(0))).ok).toBe(true);
    });

    test("concurrent takes from two instances grant exactly the burst", async () => {
      const other = h.open();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 ? other : h.ledger).takeToken("user-1:images", 15, at(0)),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(15);
    });

    test("a rate below one per minute is refused", async () => {
      await expect(h.ledger.takeToken("user-1:images", 0, at(0))).rejects.toThrow(RangeError);
      await expect(h.ledger.takeToken("user-1:images", Number.NaN, at(0))).rejects.toThrow(RangeError);
    });
  });
}
