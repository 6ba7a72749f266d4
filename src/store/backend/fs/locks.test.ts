import { describe, expect, test } from "vitest";
import { KeyedMutex, ReadWriteLock } from "./locks.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("KeyedMutex", () => {
  test("runs holders of one key one at a time, in order, and other keys alongside", async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const hold = (key: string, name: string) =>
      mutex.run(key, async () => {
        events.push(`${name} in`);
        await tick();
        await tick();
        events.push(`${name} out`);
      });
    await Promise.all([hold("k", "a"), hold("k", "b"), hold("other", "c"), hold("k", "d")]);
    expect(events.filter((e) => !e.startsWith("c"))).toEqual([
      "a in",
      "a out",
      "b in",
      "b out",
      "d in",
      "d out",
    ]);
    expect(events.indexOf("c in")).toBeLessThan(events.indexOf("a out"));
  });

  test("a holder that throws releases the key", async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await mutex.run("k", async () => "next")).toBe("next");
  });
});

describe("ReadWriteLock", () => {
  test("shared holders overlap; an exclusive holder waits for them and blocks later shared ones", async () => {
    const lock = new ReadWriteLock();
    const events: string[] = [];
    const hold = (mode: "shared" | "exclusive", name: string) =>
      lock[mode](async () => {
        events.push(`${name} in`);
        await tick();
        events.push(`${name} out`);
      });
    await Promise.all([
      hold("shared", "r1"),
      hold("shared", "r2"),
      hold("exclusive", "w"),
      hold("shared", "r3"),
    ]);
    expect(events.slice(0, 2).sort()).toEqual(["r1 in", "r2 in"]);
    expect(events.indexOf("w in")).toBeGreaterThan(
      Math.max(events.indexOf("r1 out"), events.indexOf("r2 out")),
    );
    expect(events.indexOf("w out")).toBe(events.indexOf("w in") + 1);
    expect(events.indexOf("r3 in")).toBeGreaterThan(events.indexOf("w out"));
  });

  test("a holder that throws releases the lock", async () => {
    const lock = new ReadWriteLock();
    await expect(lock.exclusive(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock.shared(async () => "after")).toBe("after");
  });
});
