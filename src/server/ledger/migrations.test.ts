import { describe, expect, test } from "vitest";
import { LATEST_VERSION, MIGRATIONS, pendingMigrations } from "./migrations.js";

describe("migrations", () => {
  test("both dialects list the same versions, ascending from 1 to latest", () => {
    const versions = MIGRATIONS.sqlite.map((step) => step.version);
    expect(MIGRATIONS.postgres.map((step) => step.version)).toEqual(versions);
    expect(versions[0]).toBe(1);
    expect(versions.at(-1)).toBe(LATEST_VERSION);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
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
