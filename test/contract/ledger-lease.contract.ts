import { describe, expect, test } from "vitest";
import type { Ledger } from "../../src/server/ledger/types.js";
import { at, insertRows, type LedgerHarness, newUpload } from "./ledger-support.js";

/** An "uploaded" row, ready to be verified. */
async function uploadedRow(ledger: Ledger): Promise<string> {
  const row = newUpload();
  await insertRows(ledger, [row]);
  await ledger.transition(row.id, ["pending"], "uploaded");
  return row.id;
}

export function leaseContract(h: LedgerHarness): void {
  describe("verification lease", () => {
    test("claimVerification gives an uploaded row's lease to one holder until it ends", async () => {
      const id = await uploadedRow(h.ledger);
      const before = await h.ledger.get(id);
      const claimed = await h.ledger.claimVerification(id, "lease-a", at(30_000), at(0));
      expect(claimed).toEqual(before);
      expect(await h.ledger.claimVerification(id, "lease-b", at(60_000), at(1_000))).toBeUndefined();
      expect(await h.ledger.claimVerification(id, "lease-b", at(60_000), at(29_999))).toBeUndefined();
      // The holder died: once its lease has ended, another caller takes it over.
      expect((await h.ledger.claimVerification(id, "lease-b", at(60_000), at(30_000)))?.id).toBe(id);
      expect(await h.ledger.renewVerification(id, "lease-a", at(90_000))).toBe(false);
      expect(await h.ledger.get(id)).toEqual(before);
    });

    test("only an uploaded row can be claimed; an unknown id is undefined", async () => {
      const pending = newUpload();
      const verified = newUpload();
      await insertRows(h.ledger, [pending, verified]);
      await h.ledger.transition(verified.id, ["pending"], "verified");
      expect(await h.ledger.claimVerification(pending.id, "l", at(30_000), at(0))).toBeUndefined();
      expect(await h.ledger.claimVerification(verified.id, "l", at(30_000), at(0))).toBeUndefined();
      expect(await h.ledger.claimVerification("up_missing", "l", at(30_000), at(0))).toBeUndefined();
    });

    test("renewVerification moves the holder's end; nobody else's", async () => {
      const id = await uploadedRow(h.ledger);
      await h.ledger.claimVerification(id, "lease-a", at(30_000), at(0));
      expect(await h.ledger.renewVerification(id, "lease-b", at(90_000))).toBe(false);
      expect(await h.ledger.renewVerification(id, "lease-a", at(90_000))).toBe(true);
      expect(await h.ledger.claimVerification(id, "lease-b", at(120_000), at(60_000))).toBeUndefined();
      expect(await h.ledger.claimVerification(id, "lease-b", at(120_000), at(90_000))).toBeDefined();
    });

    test("releaseVerification ends the holder's lease at once; another caller's release does nothing", async () => {
      const id = await uploadedRow(h.ledger);
      await h.ledger.claimVerification(id, "lease-a", at(30_000), at(0));
      await h.ledger.releaseVerification(id, "lease-b");
      expect(await h.ledger.claimVerification(id, "lease-b", at(30_000), at(1_000))).toBeUndefined();
      await h.ledger.releaseVerification(id, "lease-a");
      expect(await h.ledger.claimVerification(id, "lease-b", at(30_000), at(1_000))).toBeDefined();
    });

    test("a transition ends the lease: back to uploaded, the row can be claimed again", async () => {
      const id = await uploadedRow(h.ledger);
      await h.ledger.claimVerification(id, "lease-a", at(30_000), at(0));
      await h.ledger.transition(id, ["uploaded"], "pending");
      expect(await h.ledger.renewVerification(id, "lease-a", at(60_000))).toBe(false);
      await h.ledger.transition(id, ["pending"], "uploaded");
      expect(await h.ledger.renewVerification(id, "lease-a", at(60_000))).toBe(false);
      expect(await h.ledger.claimVerification(id, "lease-b", at(30_000), at(1_000))).toBeDefined();
    });

    test("of concurrent claims from two instances, exactly one wins", async () => {
      const id = await uploadedRow(h.ledger);
      const other = h.open();
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, index) =>
          (index % 2 ? other : h.ledger).claimVerification(id, `lease-${index}`, at(30_000), at(0)),
        ),
      );
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    });
  });
}
