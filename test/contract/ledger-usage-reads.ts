import { expect } from "vitest";
import type { Ledger, QuotaLimit } from "../../src/server/ledger/types.js";
import { upload } from "../integ/ledger/race-support.js";

/**
 * Which quota sums reserve() reads: the subject's only when its limit caps bytes or files, the
 * route's only when the route-wide cap does. `sumsRead` counts the usage statements the driver ran
 * since the last call.
 */
export async function expectUsageReadOnlyWhenCapped(ledger: Ledger, sumsRead: () => number): Promise<void> {
  const cases: Array<{ limit: QuotaLimit; routeLimit?: QuotaLimit; sums: number }> = [
    { limit: {}, sums: 0 },
    { limit: { periodMs: 86_400_000 }, sums: 0 },
    { limit: { files: 10 }, sums: 1 },
    { limit: { bytes: 1_000 }, routeLimit: {}, sums: 1 },
    { limit: {}, routeLimit: { files: 100 }, sums: 1 },
    { limit: { files: 10 }, routeLimit: { bytes: 1_000 }, sums: 2 },
  ];
  for (const { limit, routeLimit, sums } of cases) {
    sumsRead();
    const result = await ledger.reserve([upload("alice", "images", 10)], {
      userId: "alice",
      route: "images",
      limit,
      ...(routeLimit && { routeLimit }),
      now: new Date(),
    });
    expect(result, JSON.stringify({ limit, routeLimit })).toEqual({ ok: true });
    expect(sumsRead(), JSON.stringify({ limit, routeLimit })).toBe(sums);
  }
  // Uncapped reservations still count once a limit applies: six rows so far.
  sumsRead();
  const refused = await ledger.reserve([upload("alice", "images", 10)], {
    userId: "alice",
    route: "images",
    limit: { files: 6 },
    now: new Date(),
  });
  expect(refused).toMatchObject({ ok: false, used: { files: 6, bytes: 60 } });
}
