import { describe, expect, test } from "vitest";
import { LATEST_VERSION, MIGRATIONS, pendingMigrations } from "./migrations.js";

describe("migrations", () => {
  test("both dialects list the same versions, 1..latest in order", () => {
    const expected = Array.from({ length: LATEST_VERSION }, (_, index) => index + 1);
    expect(MIGRATIONS.sqlite.map((step) => step.version)).toEqual(expected);
    expect(MIGRATIONS.postgres.map((step) => step.version)).toEqual(expected);
  });

  test("pendingMigrations skips applied versions and keeps the order", () => {
    const steps = [1, 2, 3].map((version) => ({ version, description: `v${version}`, sql: "" }));
    expect(pendingMigrations(steps, []).map((step) => step.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(steps, [1, 3]).map((step) => step.version)).toEqual([2]);
    expect(pendingMigrations(steps, [1, 2, 3])).toEqual([]);
  });

  test("a database migrated by a newer upgate is refused with a clear message", () => {
    const steps = [{ version: 1, description: "v1", sql: "" }];
    expect(() => pendingMigrations(steps, [1, 2])).toThrow(
      /schema version 2, newer than this upgate knows \(1\)/,
    );
  });
});
