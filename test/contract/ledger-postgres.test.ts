import { expect, test } from "vitest";
import { createPostgresLedger } from "../../src/server/ledger/postgres.js";
import { defineLedgerContract } from "./ledger.contract.js";
import { createTestSchema, describePostgres } from "./ledger-postgres-env.js";

describePostgres("postgres ledger", (url) => {
  defineLedgerContract("postgres", () => createTestSchema(url));

  test("an unreachable server surfaces as a rejected call, not a hang or a swallowed error", async () => {
    const ledger = createPostgresLedger("postgres://nobody:wrong@127.0.0.1:1/none");
    try {
      await expect(ledger.ping()).rejects.toThrow(/ECONNREFUSED/);
      await expect(ledger.get("up_1")).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await ledger.close();
    }
  });

  test("a wrong password surfaces as an authentication error", async () => {
    const wrong = new URL(url);
    wrong.password = "not-the-password";
    const ledger = createPostgresLedger(wrong.toString());
    try {
      await expect(ledger.migrate()).rejects.toThrow(/password authentication failed/);
    } finally {
      await ledger.close();
    }
  });
});
