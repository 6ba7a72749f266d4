import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Ledger, UploadRow } from "../../ledger/types.js";
import { claimLease, LEASE_MS, RENEW_EVERY_MS } from "./verification-lease.js";

function fakeLedger(claimed: boolean) {
  const row = { id: "up_1", status: "uploaded" } as UploadRow;
  const ledger = {
    claimVerification: vi.fn(async () => (claimed ? row : undefined)),
    renewVerification: vi.fn(async () => true),
    releaseVerification: vi.fn(async () => {}),
  };
  return { ledger, asLedger: ledger as unknown as Ledger, row };
}

describe("claimLease", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("claims until now + LEASE_MS, renews while held, and stops renewing once released", async () => {
    const { ledger, asLedger, row } = fakeLedger(true);
    const lease = await claimLease(asLedger, "up_1", "lease-1");
    expect(lease?.row).toBe(row);
    expect(ledger.claimVerification).toHaveBeenCalledWith(
      "up_1",
      "lease-1",
      new Date(1_000_000 + LEASE_MS),
      new Date(1_000_000),
    );
    // A verification that outlasts several leases keeps its own.
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS * 6);
    expect(ledger.renewVerification).toHaveBeenCalledTimes(6);
    expect(ledger.renewVerification).toHaveBeenLastCalledWith(
      "up_1",
      "lease-1",
      new Date(1_000_000 + RENEW_EVERY_MS * 6 + LEASE_MS),
    );
    await lease!.release();
    expect(ledger.releaseVerification).toHaveBeenCalledWith("up_1", "lease-1");
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS * 3);
    expect(ledger.renewVerification).toHaveBeenCalledTimes(6);
  });

  test("renews often enough that a lease never lapses between renewals", () => {
    expect(RENEW_EVERY_MS * 3).toBeLessThanOrEqual(LEASE_MS);
  });

  test("another holder's live lease: undefined, and nothing renews", async () => {
    const { ledger, asLedger } = fakeLedger(false);
    expect(await claimLease(asLedger, "up_1", "lease-2")).toBeUndefined();
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS * 3);
    expect(ledger.renewVerification).not.toHaveBeenCalled();
  });

  test("a failed renewal or release is not an error: the lease just ends by itself", async () => {
    const { ledger, asLedger } = fakeLedger(true);
    ledger.renewVerification.mockRejectedValue(new Error("ledger down"));
    ledger.releaseVerification.mockRejectedValue(new Error("ledger down"));
    const lease = await claimLease(asLedger, "up_1", "lease-3");
    await vi.advanceTimersByTimeAsync(RENEW_EVERY_MS * 2);
    await expect(lease!.release()).resolves.toBeUndefined();
  });
});
