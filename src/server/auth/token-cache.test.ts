import { describe, expect, it } from "vitest";
import type { Principal } from "../principal.js";
import { createTokenCache } from "./token-cache.js";

const alice: Principal = { userId: "alice", via: "jwt" };

describe("createTokenCache", () => {
  it("keeps a verified token until its exp, and at most a minute", () => {
    let now = 1_000_000;
    const cache = createTokenCache(() => now);
    cache.set("soon", alice, now / 1000 + 10);
    cache.set("later", alice, now / 1000 + 3600);
    expect(cache.get("soon")).toBe(alice);
    now += 10_000;
    expect(cache.get("soon")).toBeUndefined();
    expect(cache.get("later")).toBe(alice);
    now += 50_000;
    expect(cache.get("later")).toBeUndefined();
  });

  it("never keeps a token without exp or already expired, and drops the oldest when full", () => {
    const now = 1_000_000;
    const cache = createTokenCache(() => now);
    cache.set("no-exp", alice, undefined);
    cache.set("expired", alice, now / 1000 - 1);
    expect(cache.get("no-exp")).toBeUndefined();
    expect(cache.get("expired")).toBeUndefined();
    for (let i = 0; i <= 1000; i++) cache.set(`t${i}`, alice, now / 1000 + 60);
    expect(cache.get("t0")).toBeUndefined();
    expect(cache.get("t1000")).toBe(alice);
  });
});
