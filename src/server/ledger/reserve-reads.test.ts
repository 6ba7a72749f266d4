import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, expect, it, vi } from "vitest";
import { expectUsageReadOnlyWhenCapped } from "../../../test/contract/ledger-usage-reads.js";
import { createSqliteLedger } from "./sqlite.js";

afterEach(() => {
  vi.restoreAllMocks();
});

it("the SQLite ledger's reserve() reads a quota sum only for a limit that caps bytes or files", async () => {
  // Every better-sqlite3 statement shares this prototype: the spy sees the ledger's reads.
  const scratch = new Database(":memory:");
  const statements = Object.getPrototypeOf(scratch.prepare("SELECT 1")) as Database.Statement;
  scratch.close();
  const get = vi.spyOn(statements, "get");
  const sources = () => (get.mock.contexts as Database.Statement[]).map((s) => s.source);
  let seen = 0;
  const sumsRead = () => {
    const all = sources();
    const sums = all.slice(seen).filter((sql) => /\bSUM\(/.test(sql)).length;
    seen = all.length;
    return sums;
  };
  const dir = await mkdtemp(join(tmpdir(), "upgate-reserve-reads-"));
  const ledger = createSqliteLedger(join(dir, "ledger.db"));
  try {
    await ledger.migrate();
    await expectUsageReadOnlyWhenCapped(ledger, sumsRead);
    expect(get).toHaveBeenCalled();
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }
});
