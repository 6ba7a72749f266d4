import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { LEDGER_DRIVERS, MissingDriverError, withDriver } from "./driver.js";

const require = createRequire(import.meta.url);

/** What Node's ESM loader throws for a package that is not installed. */
function esmNotFound(name: string): Error {
  return Object.assign(
    new Error(`Cannot find package '${name}' imported from /app/dist/server/ledger/x.js`),
    {
      code: "ERR_MODULE_NOT_FOUND",
    },
  );
}

const fail = (err: unknown) => () => Promise.reject(err);

describe("withDriver", () => {
  it("names the package and the command to install it when the driver is missing", async () => {
    const err = await withDriver(LEDGER_DRIVERS.sqlite, fail(esmNotFound("better-sqlite3"))).catch((e) => e);
    expect(err).toBeInstanceOf(MissingDriverError);
    expect(err.message).toBe("upgate: the SQLite ledger needs better-sqlite3: npm install better-sqlite3@12");
    expect(err.reason).toBe("the SQLite ledger needs better-sqlite3: npm install better-sqlite3@12");
    expect([err.package, err.problem, err.fix]).toEqual([
      "better-sqlite3",
      "the SQLite ledger needs better-sqlite3",
      "npm install better-sqlite3@12",
    ]);
    expect(err.cause.code).toBe("ERR_MODULE_NOT_FOUND");
  });

  it("recognizes require()'s wording too (a real MODULE_NOT_FOUND)", async () => {
    let real: unknown;
    try {
      require("pg-not-installed-anywhere");
    } catch (e) {
      real = Object.assign(e as Error, {
        message: (e as Error).message.replaceAll("pg-not-installed-anywhere", "pg"),
      });
    }
    expect((real as { code: string }).code).toBe("MODULE_NOT_FOUND");
    await expect(withDriver(LEDGER_DRIVERS.postgres, fail(real))).rejects.toThrow(
      "upgate: the Postgres ledger needs pg: npm install pg@8",
    );
  });

  it("says to rebuild better-sqlite3 when it was installed without its native module", async () => {
    const unbuilt = new Error(
      "Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/better_sqlite3.node",
    );
    await expect(withDriver(LEDGER_DRIVERS.sqlite, fail(unbuilt))).rejects.toThrow(
      "upgate: better-sqlite3 is installed but its native module is not built: npm rebuild better-sqlite3",
    );
  });

  it("leaves other failures alone: another missing package, a file missing inside the driver, a database error", async () => {
    const other = esmNotFound("pg-cursor");
    const inside = Object.assign(new Error("Cannot find module '/app/node_modules/pg/lib/index.js'"), {
      code: "MODULE_NOT_FOUND",
    });
    const database = Object.assign(new Error("unable to open database file"), { code: "SQLITE_CANTOPEN" });
    for (const err of [other, inside, database]) {
      await expect(withDriver(LEDGER_DRIVERS.postgres, fail(err))).rejects.toBe(err);
    }
    expect(await withDriver(LEDGER_DRIVERS.sqlite, async () => "opened")).toBe("opened");
  });
});
