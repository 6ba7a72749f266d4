import { describe } from "vitest";
import { idempotencyContract } from "./ledger-idempotency.contract.js";
import { leaseContract } from "./ledger-lease.contract.js";
import { lifecycleContract } from "./ledger-lifecycle.contract.js";
import { quotaContract } from "./ledger-quota.contract.js";
import { rateContract } from "./ledger-rate.contract.js";
import { rowsContract } from "./ledger-rows.contract.js";
import { subjectContract } from "./ledger-subject.contract.js";
import { type LedgerFactory, useLedger } from "./ledger-support.js";

export type { LedgerDatabase, LedgerFactory } from "./ledger-support.js";

/** The behaviour every Ledger must have; `factory` gives a fresh database per test. */
export function defineLedgerContract(name: string, factory: LedgerFactory): void {
  describe(`${name} ledger contract`, () => {
    const harness = useLedger(factory);
    lifecycleContract(harness);
    quotaContract(harness);
    rowsContract(harness);
    rateContract(harness);
    idempotencyContract(harness);
    leaseContract(harness);
    subjectContract(harness);
  });
}
